using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using ValidationLab.Errors;

namespace ValidationLab.Runners.LlamaCpp.Native;

/// <summary>Which build of the libraries is loaded into this process.</summary>
internal enum LlamaBackend
{
    Cpu,
    Cuda,
}

/// <summary>
/// Finds and loads the llama.cpp libraries the build restored beside this assembly
/// (runtimes/linux-x64/native/, CUDA build in .../native/cuda/), once per process: llama.cpp keeps global backend
/// state, so one process holds one build. ggml's CPU backend comes in one library per instruction set; the backend
/// loader picks the best for this CPU from the same folder.
/// </summary>
internal static unsafe class NativeLibraries
{
    /// <summary>The pinned binaries: npm package version and the llama.cpp release they were built from.</summary>
    public const string PackageVersion = "3.22.1";

    /// <inheritdoc cref="PackageVersion"/>
    public const string LlamaCppRelease = "v0.5.0";

    private const string LlamaFile = "libllama.v0.5.0.so";
    private const string GgmlFile = "libggml.v0.5.0.so";

    private static readonly Lock Gate = new();
    private static string? _loadedFrom;
    private static LlamaBackend _backend;
    private static nint _llama;
    private static nint _ggml;
    private static bool _resolverSet;

    /// <summary>The folder holding the CPU build.</summary>
    public static string CpuDirectory => Path.Combine(AssemblyDirectory, "runtimes", "linux-x64", "native");

    /// <summary>The folder holding the CUDA build (present only when the build restored it).</summary>
    public static string CudaDirectory => Path.Combine(CpuDirectory, "cuda");

    /// <summary>True when the CUDA build was restored and an NVIDIA driver is loaded on this machine.</summary>
    public static bool CudaAvailable => File.Exists(Path.Combine(CudaDirectory, LlamaFile)) && File.Exists("/proc/driver/nvidia/version");

    /// <summary>The backend a runner with <paramref name="gpuLayers"/> offloaded layers will use on this machine.</summary>
    public static LlamaBackend BackendFor(int gpuLayers) => gpuLayers != 0 && CudaAvailable ? LlamaBackend.Cuda : LlamaBackend.Cpu;

    /// <summary>The backend loaded in this process; null before the first load.</summary>
    public static LlamaBackend? Loaded
    {
        get
        {
            lock (Gate)
            {
                return _loadedFrom is null ? null : _backend;
            }
        }
    }

    /// <summary>
    /// Loads the libraries of <paramref name="backend"/> (once) and initialises llama.cpp. Throws
    /// <see cref="InputException"/> when they are missing or when another build is already loaded.
    /// </summary>
    public static void EnsureLoaded(LlamaBackend backend)
    {
        lock (Gate)
        {
            if (_loadedFrom is not null)
            {
                if (_backend != backend)
                {
                    throw new InputException($"this process already runs llama.cpp's {_backend.ToString().ToUpperInvariant()} build; a {backend.ToString().ToUpperInvariant()} model cannot be loaded beside it (set gpu_layers alike for every llamacpp runner of one process)", field: "gpu_layers");
                }

                return;
            }

            var dir = backend == LlamaBackend.Cuda ? CudaDirectory : CpuDirectory;
            var llamaPath = Path.Combine(dir, LlamaFile);
            if (!File.Exists(llamaPath))
            {
                throw new InputException($"the llama.cpp libraries are missing ({llamaPath}); they are restored by building the project (dotnet build), which needs npm and the npm registry");
            }

            if (!_resolverSet)
            {
                NativeLibrary.SetDllImportResolver(typeof(NativeLibraries).Assembly, Resolve);
                _resolverSet = true;
            }

            try
            {
                _ggml = NativeLibrary.Load(Path.Combine(dir, GgmlFile));
                _llama = NativeLibrary.Load(llamaPath);
            }
            catch (DllNotFoundException e)
            {
                throw new InputException($"the llama.cpp libraries in {dir} could not be loaded: {e.Message}", inner: e);
            }

            _loadedFrom = dir;
            _backend = backend;
            LlamaLog.Install();
            var bytes = Encoding.UTF8.GetBytes(dir + "\0");
            fixed (byte* p = bytes)
            {
                // The CPU backend ships one library per instruction-set level; this registers the best one for this
                // machine (and the CUDA backend from the CUDA folder). Searching the executable's folder would find
                // nothing: the executable is dotnet.
                LlamaNative.ggml_backend_load_all_from_path(p);
            }

            LlamaNative.llama_backend_init();
        }
    }

    /// <summary>The version string the loaded library reports ("0.5.0-dev").</summary>
    public static string Version()
    {
        EnsureLoaded(Loaded ?? LlamaBackend.Cpu);
        return Marshal.PtrToStringUTF8((nint)LlamaNative.llama_version()) ?? "";
    }

    /// <summary>How many GPU devices the loaded backends registered.</summary>
    public static int GpuDevices()
    {
        var n = 0;
        for (nuint i = 0; i < LlamaNative.ggml_backend_dev_count(); i++)
        {
            if (LlamaNative.ggml_backend_dev_type(LlamaNative.ggml_backend_dev_get(i)) == LlamaEnums.GgmlBackendDeviceGpu)
            {
                n++;
            }
        }

        return n;
    }

    private static string AssemblyDirectory =>
        Path.GetDirectoryName(typeof(NativeLibraries).Assembly.Location) is { Length: > 0 } d ? d : AppContext.BaseDirectory;

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) => name switch
    {
        LlamaNative.Llama => _llama,
        LlamaNative.Ggml => _ggml,
        _ => 0,
    };
}
