using System.Runtime.InteropServices;

namespace ValidationLab.Runners.LlamaCpp.Native;

// Layouts transcribed from include/llama.h of llama.cpp release v0.5.0, the release the pinned
// @node-llama-cpp/linux-x64@3.22.1 binaries were built from (their _nlcBuildMetadata.json names it; llama_version()
// reports "0.5.0-dev"). Field order, widths and the grouping of the trailing bools are the header's; C bool is one
// byte (DisableRuntimeMarshalling makes C# bool blittable as one byte). LlamaStructTests reads the library's own
// defaults into these structs and checks the documented values, which fails on any shifted field.

/// <summary>struct llama_model_params (80 bytes on x64).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct LlamaModelParams
{
    public nint Devices;
    public nint TensorBuftOverrides;
    public int NGpuLayers;
    public int SplitMode;
    public int LoadMode;
    public int LazyMode;
    public int MainGpu;
    public nint TensorSplit;
    public nint ProgressCallback;
    public nint ProgressCallbackUserData;
    public nint KvOverrides;
    public bool VocabOnly;
    public bool CheckTensors;
    public bool UseExtraBufts;
    public bool NoHost;
    public bool NoAlloc;
    public bool LoadMtp;
}

/// <summary>struct llama_context_params (160 bytes on x64).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct LlamaContextParams
{
    public uint NCtx;
    public uint NBatch;
    public uint NUbatch;
    public uint NSeqMax;
    public uint NRsSeq;
    public uint NOutputsMax;
    public uint NOutputsMaxPerSeq;
    public int NThreads;
    public int NThreadsBatch;
    public int CtxType;
    public int RopeScalingType;
    public int PoolingType;
    public int AttentionType;
    public int FlashAttnType;
    public float RopeFreqBase;
    public float RopeFreqScale;
    public float YarnExtFactor;
    public float YarnAttnFactor;
    public float YarnBetaFast;
    public float YarnBetaSlow;
    public uint YarnOrigCtx;
    public float DefragThold;
    public nint CbEval;
    public nint CbEvalUserData;
    public int TypeK;
    public int TypeV;
    public nint AbortCallback;
    public nint AbortCallbackData;
    public bool Embeddings;
    public bool OffloadKqv;
    public bool NoPerf;
    public bool OpOffload;
    public bool SwaFull;
    public bool KvUnified;
    public nint Samplers;
    public nuint NSamplers;
    public nint CtxOther;
}

/// <summary>struct llama_batch (56 bytes on x64): arrays owned by llama_batch_init / llama_batch_free.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LlamaBatch
{
    public int NTokens;
    public int* Token;
    public float* Embd;
    public int* Pos;
    public int* NSeqId;
    public int** SeqId;
    public sbyte* Logits;
}

/// <summary>struct llama_sampler_chain_params.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct LlamaSamplerChainParams
{
    public bool NoPerf;
}

/// <summary>struct llama_chat_message.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct LlamaChatMessage
{
    public nint Role;
    public nint Content;
}

/// <summary>Values of the header's enums that this binding sets or checks.</summary>
internal static class LlamaEnums
{
    public const int SplitModeLayer = 1;
    public const int LoadModeAuto = -1;
    public const int LazyModeAuto = 1;
    public const int FlashAttnAuto = -1;
    public const int FlashAttnDisabled = 0;
    public const int GgmlTypeF16 = 1;
    public const int RopeScalingUnspecified = -1;
    public const int PoolingUnspecified = -1;
    public const int AttentionUnspecified = -1;
    public const int GgmlBackendDeviceGpu = 1;

    /// <summary>LLAMA_MAX_SEQ: sequence ids a unified KV cache accepts (src/llama-cparams.h), also returned by llama_max_parallel_sequences().</summary>
    public const int MaxSequences = 256;
}
