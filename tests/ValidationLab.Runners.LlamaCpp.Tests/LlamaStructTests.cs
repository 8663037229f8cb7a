using System.Runtime.CompilerServices;
using ValidationLab.Runners.LlamaCpp.Native;

namespace ValidationLab.Runners.LlamaCpp.Tests;

/// <summary>
/// The C# structs must lay out exactly like llama.h of llama.cpp v0.5.0, the release the restored binaries were
/// built from: the library's own defaults, returned by value into our structs, must read as documented in that
/// release's src/llama-model.cpp and src/llama-context.cpp. A field added, removed or resized shifts every later
/// field and fails here.
/// </summary>
public sealed unsafe class LlamaStructTests
{
    public LlamaStructTests() => NativeLibraries.EnsureLoaded(LlamaBackend.Cpu);

    [Fact]
    public void Should_Load_The_Pinned_Release()
    {
        Assert.Equal("0.5.0-dev", NativeLibraries.Version());
        var metadata = File.ReadAllText(Path.Combine(NativeLibraries.CpuDirectory, "_nlcBuildMetadata.json"));
        Assert.Contains($"\"release\":\"{NativeLibraries.LlamaCppRelease}\"", metadata, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Read_Model_Defaults_As_Documented()
    {
        Assert.Equal(80, Unsafe.SizeOf<LlamaModelParams>());
        var p = LlamaNative.llama_model_default_params();
        Assert.Equal(0, p.Devices);
        Assert.Equal(0, p.TensorBuftOverrides);
        Assert.Equal(-1, p.NGpuLayers);
        Assert.Equal(LlamaEnums.SplitModeLayer, p.SplitMode);
        Assert.Equal(LlamaEnums.LoadModeAuto, p.LoadMode);
        Assert.Equal(LlamaEnums.LazyModeAuto, p.LazyMode);
        Assert.Equal(0, p.MainGpu);
        Assert.Equal(0, p.TensorSplit);
        Assert.Equal(0, p.ProgressCallback);
        Assert.Equal(0, p.KvOverrides);
        Assert.False(p.VocabOnly);
        Assert.False(p.CheckTensors);
        Assert.True(p.UseExtraBufts);
        Assert.False(p.NoHost);
        Assert.False(p.NoAlloc);
        Assert.False(p.LoadMtp);
    }

    [Fact]
    public void Should_Read_Context_Defaults_As_Documented()
    {
        Assert.Equal(160, Unsafe.SizeOf<LlamaContextParams>());
        var p = LlamaNative.llama_context_default_params();
        Assert.Equal(512u, p.NCtx);
        Assert.Equal(2048u, p.NBatch);
        Assert.Equal(512u, p.NUbatch);
        Assert.Equal(1u, p.NSeqMax);
        Assert.Equal(0u, p.NRsSeq);
        Assert.Equal(0u, p.NOutputsMax);
        Assert.Equal(1u, p.NOutputsMaxPerSeq);
        Assert.Equal(4, p.NThreads); // GGML_DEFAULT_N_THREADS
        Assert.Equal(4, p.NThreadsBatch);
        Assert.Equal(0, p.CtxType);
        Assert.Equal(LlamaEnums.RopeScalingUnspecified, p.RopeScalingType);
        Assert.Equal(LlamaEnums.PoolingUnspecified, p.PoolingType);
        Assert.Equal(LlamaEnums.AttentionUnspecified, p.AttentionType);
        Assert.Equal(LlamaEnums.FlashAttnAuto, p.FlashAttnType);
        Assert.Equal(0f, p.RopeFreqBase);
        Assert.Equal(0f, p.RopeFreqScale);
        Assert.Equal(-1f, p.YarnExtFactor);
        Assert.Equal(-1f, p.YarnAttnFactor);
        Assert.Equal(-1f, p.YarnBetaFast);
        Assert.Equal(-1f, p.YarnBetaSlow);
        Assert.Equal(0u, p.YarnOrigCtx);
        Assert.Equal(-1f, p.DefragThold);
        Assert.Equal(0, p.CbEval);
        Assert.Equal(LlamaEnums.GgmlTypeF16, p.TypeK);
        Assert.Equal(LlamaEnums.GgmlTypeF16, p.TypeV);
        Assert.Equal(0, p.AbortCallback);
        Assert.False(p.Embeddings);
        Assert.True(p.OffloadKqv);
        Assert.True(p.NoPerf);
        Assert.True(p.OpOffload);
        Assert.True(p.SwaFull);
        Assert.False(p.KvUnified);
        Assert.Equal(0, p.Samplers);
        Assert.Equal(0u, p.NSamplers);
        Assert.Equal(0, p.CtxOther);
    }

    [Fact]
    public void Should_Match_Batch_Layout_Of_Llama_Batch_Init()
    {
        Assert.Equal(56, Unsafe.SizeOf<LlamaBatch>());

        // Tokens: token/pos/n_seq_id/seq_id/logits allocated, embd not; the seq_id array is null-terminated.
        var tokens = LlamaNative.llama_batch_init(8, 0, 2);
        try
        {
            Assert.Equal(0, tokens.NTokens);
            Assert.True(tokens.Token is not null && tokens.Pos is not null && tokens.NSeqId is not null && tokens.SeqId is not null && tokens.Logits is not null);
            Assert.True(tokens.Embd is null);
            Assert.True(tokens.SeqId[7] is not null && tokens.SeqId[8] is null);
        }
        finally
        {
            LlamaNative.llama_batch_free(tokens);
        }

        // Embeddings: embd allocated instead of token.
        var embeddings = LlamaNative.llama_batch_init(4, 16, 1);
        try
        {
            Assert.True(embeddings.Token is null);
            Assert.True(embeddings.Embd is not null);
        }
        finally
        {
            LlamaNative.llama_batch_free(embeddings);
        }
    }

    [Fact]
    public void Should_Read_Sampler_Chain_Defaults_And_Limits()
    {
        Assert.True(LlamaNative.llama_sampler_chain_default_params().NoPerf);
        Assert.Equal((nuint)LlamaEnums.MaxSequences, LlamaNative.llama_max_parallel_sequences());
    }

    [CudaFact]
    public void Should_Register_A_Gpu_Device_With_The_Cuda_Build()
    {
        Assert.True(NativeLibraries.CudaAvailable);
        Assert.Equal(LlamaBackend.Cuda, NativeLibraries.BackendFor(-1));
    }
}
