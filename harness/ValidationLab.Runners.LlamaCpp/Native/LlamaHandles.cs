using System.Runtime.InteropServices;

namespace ValidationLab.Runners.LlamaCpp.Native;

/// <summary>A llama_model*, freed with llama_model_free.</summary>
internal sealed class LlamaModelHandle : SafeHandle
{
    public LlamaModelHandle(nint handle)
        : base(0, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        LlamaNative.llama_model_free(handle);
        return true;
    }
}

/// <summary>A llama_context*, freed with llama_free (before its model).</summary>
internal sealed class LlamaContextHandle : SafeHandle
{
    public LlamaContextHandle(nint handle)
        : base(0, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        LlamaNative.llama_free(handle);
        return true;
    }
}

/// <summary>A llama_sampler* chain, freed with llama_sampler_free.</summary>
internal sealed class LlamaSamplerHandle : SafeHandle
{
    public LlamaSamplerHandle(nint handle)
        : base(0, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        LlamaNative.llama_sampler_free(handle);
        return true;
    }
}
