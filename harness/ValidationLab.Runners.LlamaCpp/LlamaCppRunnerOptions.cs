using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ValidationLab.Errors;
using ValidationLab.Requests;
using ValidationLab.Runners.LlamaCpp.Native;

namespace ValidationLab.Runners.LlamaCpp;

/// <summary>How multiple-choice continuations are scored.</summary>
public enum LogLikelihoodMethod
{
    /// <summary>The context is evaluated once; each continuation is scored from a copy of that KV-cache sequence.</summary>
    SharedPrefix,

    /// <summary>Context + continuation evaluated from scratch for every option (lm-evaluation-harness's way; for comparison).</summary>
    Separate,
}

/// <summary>Whether generate prompts go through the model's chat template.</summary>
public enum ChatTemplateMode
{
    /// <summary>The model's template when it has one (llama_chat_apply_template), else plain text.</summary>
    Auto,

    /// <summary>Never: message contents joined by blank lines.</summary>
    None,
}

/// <summary>The validated settings of one <c>runner: llamacpp</c> block.</summary>
public sealed record LlamaCppRunnerOptions
{
    public required string ModelPath { get; init; }

    /// <summary>SHA-256 of the model file (part of the fingerprint).</summary>
    public required string ModelSha256 { get; init; }

    /// <summary>general.architecture from the GGUF header, when present.</summary>
    public string? Architecture { get; init; }

    /// <summary>KV-cache cells shared by all sequences in flight (one unified cache).</summary>
    public int ContextSize { get; init; } = 4096;

    public int Threads { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Layers offloaded to the GPU: 0 = CPU only, -1 = all.</summary>
    public int GpuLayers { get; init; }

    /// <summary>Tokens per llama_decode call (n_batch = n_ubatch).</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>Requests decoded together (sequences per llama_decode call).</summary>
    public int Parallel { get; init; } = 4;

    /// <summary>Seed for sampled requests that carry none (the run seed unless set).</summary>
    public int Seed { get; init; }

    public ChatTemplateMode ChatTemplate { get; init; } = ChatTemplateMode.Auto;

    public LogLikelihoodMethod LogLikelihoodMethod { get; init; } = LogLikelihoodMethod.SharedPrefix;

    /// <summary>Every option key <see cref="Parse"/> understands.</summary>
    public static IReadOnlyCollection<string> Keys { get; } =
    [
        "model", "context_size", "threads", "gpu_layers", "batch_size", "parallel", "seed", "chat_template", "loglikelihood_method",
    ];

    /// <summary>The backend these settings run on, on this machine.</summary>
    internal LlamaBackend Backend => NativeLibraries.BackendFor(GpuLayers);

    /// <summary>
    /// Validates <paramref name="settings"/> and checks the model file's GGUF header; throws <see cref="InputException"/>
    /// naming the key at fault. Hashes the model file (the fingerprint must change when the weights do).
    /// </summary>
    public static LlamaCppRunnerOptions Parse(RunnerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var path = settings.ResolvePath(settings.Require("model").Trim());
        var header = GgufHeader.Read(path, settings.Origin, "model");
        var contextSize = Range(settings, "context_size", 4096, 16, 1 << 20);
        var batchSize = Range(settings, "batch_size", 512, 1, 1 << 16);
        var chat = settings.Get("chat_template", "auto")!.Trim().ToLowerInvariant() switch
        {
            "auto" => ChatTemplateMode.Auto,
            "none" => ChatTemplateMode.None,
            var v => throw new InputException($"chat_template '{v}' is not one of: auto, none", settings.Origin, field: "chat_template"),
        };
        var method = settings.Get("loglikelihood_method", "shared_prefix")!.Trim().ToLowerInvariant() switch
        {
            "shared_prefix" => LogLikelihoodMethod.SharedPrefix,
            "separate" => LogLikelihoodMethod.Separate,
            var v => throw new InputException($"loglikelihood_method '{v}' is not one of: shared_prefix, separate", settings.Origin, field: "loglikelihood_method"),
        };

        return new LlamaCppRunnerOptions
        {
            ModelPath = path,
            ModelSha256 = Sha256(path, settings.Origin),
            Architecture = header.Architecture,
            ContextSize = contextSize,
            Threads = Range(settings, "threads", Math.Max(1, Environment.ProcessorCount), 1, 1024),
            GpuLayers = Range(settings, "gpu_layers", 0, -1, 100_000),
            BatchSize = Math.Min(batchSize, contextSize),
            Parallel = Range(settings, "parallel", 4, 1, 64),
            Seed = settings.GetInt("seed", settings.Seed),
            ChatTemplate = chat,
            LogLikelihoodMethod = method,
        };
    }

    /// <summary>
    /// SHA-256 over the model weights and every setting that can change an answer: the llama.cpp build and backend,
    /// GPU offload, context and batch sizes and parallel sequences (they change how the KV cache and the matrix
    /// products are laid out, so the last bits of a log-probability can move), the chat template mode, the scoring
    /// method and the default seed. Not threads: each output element is computed by one thread, whatever their number.
    /// </summary>
    public string Fingerprint()
    {
        var sb = new StringBuilder();
        sb.Append("llamacpp-runner/1\n");
        sb.Append("model_sha256=").Append(ModelSha256).Append('\n');
        sb.Append("binaries=@node-llama-cpp/linux-x64@").Append(NativeLibraries.PackageVersion).Append(" llama.cpp ").Append(NativeLibraries.LlamaCppRelease).Append('\n');
        sb.Append("backend=").Append(Backend.ToString().ToLowerInvariant()).Append('\n');
        sb.Append("gpu_layers=").Append(GpuLayers.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("context_size=").Append(ContextSize.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("batch_size=").Append(BatchSize.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("parallel=").Append(Parallel.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("chat_template=").Append(ChatTemplate.ToString().ToLowerInvariant()).Append('\n');
        sb.Append("loglikelihood_method=").Append(LogLikelihoodMethod.ToString().ToLowerInvariant()).Append('\n');
        sb.Append("seed=").Append(Seed.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return RequestHasher.Sha256Hex(sb.ToString());
    }

    private static int Range(RunnerSettings s, string key, int fallback, int min, int max)
    {
        var v = s.GetInt(key, fallback);
        return v >= min && v <= max ? v : throw new InputException($"'{key}' must be from {min} to {max}, found {v}", s.Origin, field: key);
    }

    private static string Sha256(string path, string origin)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        catch (IOException e)
        {
            throw new InputException($"model file '{path}' cannot be read: {e.Message}", origin, field: "model");
        }
    }
}
