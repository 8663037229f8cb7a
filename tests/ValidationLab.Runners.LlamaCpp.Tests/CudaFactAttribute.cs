using ValidationLab.Testing;

namespace ValidationLab.Runners.LlamaCpp.Tests;

/// <summary>A fact that needs an NVIDIA GPU and the CUDA build of the libraries; skipped with the reason otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class CudaFactAttribute : FactAttribute
{
    public CudaFactAttribute()
    {
        if (!File.Exists("/proc/driver/nvidia/version"))
        {
            Skip = "no NVIDIA GPU on this machine (/proc/driver/nvidia/version absent): the CUDA path is not exercised; the CPU path is";
        }
        else if (!Native.NativeLibraries.CudaAvailable)
        {
            Skip = $"a GPU is present but the CUDA libraries were not restored ({Native.NativeLibraries.CudaDirectory}); build with -p:LlamaCppGpu=cuda";
        }
    }
}

/// <summary>Where the real model is.</summary>
public static class RealModel
{
    public static string Path => System.IO.Path.Combine(TestRepository.TryRoot is { } root ? System.IO.Path.GetFullPath(System.IO.Path.Combine(root, "..", "shared", "data")) : "../shared/data", "models", "llama-2-tiny-random.gguf");
}
