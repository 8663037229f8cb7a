using System.Runtime.InteropServices;
using System.Text;
using ValidationLab.Errors;
using ValidationLab.Requests;
using ValidationLab.Runners.LlamaCpp.Native;

namespace ValidationLab.Runners.LlamaCpp;

/// <summary>
/// A loaded model and its one context (unified KV cache shared by every sequence in flight), with the tokenizer
/// and chat template. Tokenizing is thread-safe (llama.h); decoding belongs to <see cref="LlamaEngine"/>'s thread.
/// Disposing frees the context, then the model.
/// </summary>
internal sealed unsafe class LlamaModel : IDisposable
{
    private readonly LlamaModelHandle _model;
    private readonly LlamaContextHandle _context;
    private readonly byte[]? _template;

    private LlamaModel(LlamaModelHandle model, LlamaContextHandle context, LlamaCppRunnerOptions options)
    {
        _model = model;
        _context = context;
        Options = options;
        Vocab = LlamaNative.llama_model_get_vocab(model.DangerousGetHandle());
        VocabSize = LlamaNative.llama_vocab_n_tokens(Vocab);
        ContextSize = (int)LlamaNative.llama_n_ctx(context.DangerousGetHandle());
        BatchSize = (int)LlamaNative.llama_n_batch(context.DangerousGetHandle());
        Memory = LlamaNative.llama_get_memory(context.DangerousGetHandle());
        TrainContext = LlamaNative.llama_model_n_ctx_train(model.DangerousGetHandle());
        var template = LlamaNative.llama_model_chat_template(model.DangerousGetHandle(), null);
        if (template is not null && options.ChatTemplate == ChatTemplateMode.Auto)
        {
            var text = Marshal.PtrToStringUTF8((nint)template) ?? "";
            _template = text.Length == 0 ? null : Encoding.UTF8.GetBytes(text + "\0");
        }

        var desc = stackalloc byte[256];
        var n = LlamaNative.llama_model_desc(model.DangerousGetHandle(), desc, 256);
        Description = n > 0 ? Encoding.UTF8.GetString(desc, Math.Min(n, 255)) : "";
    }

    public LlamaCppRunnerOptions Options { get; }

    public nint Vocab { get; }

    public int VocabSize { get; }

    /// <summary>KV-cache cells actually allocated (llama.cpp may round the requested size up).</summary>
    public int ContextSize { get; }

    public int BatchSize { get; }

    public nint Memory { get; }

    /// <summary>The context length the model was trained on.</summary>
    public int TrainContext { get; }

    public string Description { get; }

    /// <summary>True when generate prompts go through the model's chat template.</summary>
    public bool UsesChatTemplate => _template is not null;

    public nint Context => _context.DangerousGetHandle();

    /// <summary>
    /// Loads the model and creates its context. Throws <see cref="InputException"/> naming the model file when
    /// llama.cpp refuses it (unsupported architecture, corrupt tensors, out of memory), with llama.cpp's own reason.
    /// </summary>
    public static LlamaModel Load(LlamaCppRunnerOptions options, string origin)
    {
        NativeLibraries.EnsureLoaded(options.Backend);
        LlamaLog.Clear();
        var modelParams = LlamaNative.llama_model_default_params();
        modelParams.NGpuLayers = options.Backend == LlamaBackend.Cuda ? options.GpuLayers : 0;
        var model = LlamaNative.llama_model_load_from_file(options.ModelPath, modelParams);
        if (model == 0)
        {
            var arch = options.Architecture is null ? "" : $" (architecture '{options.Architecture}')";
            throw new InputException($"llama.cpp {NativeLibraries.LlamaCppRelease} could not load model '{options.ModelPath}'{arch}: {Reason("the architecture is not supported or the file is corrupt")}", origin, field: "model");
        }

        var modelHandle = new LlamaModelHandle(model);
        var contextParams = LlamaNative.llama_context_default_params();
        contextParams.NCtx = (uint)options.ContextSize;
        contextParams.NBatch = (uint)options.BatchSize;
        contextParams.NUbatch = (uint)options.BatchSize;
        contextParams.NSeqMax = (uint)Math.Min(options.Parallel, LlamaEnums.MaxSequences);
        contextParams.NOutputsMaxPerSeq = 0;
        contextParams.NThreads = options.Threads;
        contextParams.NThreadsBatch = options.Threads;
        contextParams.NoPerf = true;

        // One cache for every sequence: a multiple-choice item's options share the cells of its context (a sequence
        // copy is bookkeeping, not a copy of tensors), and sequence ids up to LLAMA_MAX_SEQ are accepted.
        contextParams.KvUnified = true;

        // Fixed rather than "auto", so that the numerics never depend on what the machine offers.
        contextParams.FlashAttnType = LlamaEnums.FlashAttnDisabled;
        LlamaLog.Clear();
        var context = LlamaNative.llama_init_from_model(model, contextParams);
        if (context == 0)
        {
            modelHandle.Dispose();
            throw new InputException($"llama.cpp could not create a context of {options.ContextSize} tokens for '{options.ModelPath}': {Reason("out of memory?")}", origin, field: "context_size");
        }

        return new LlamaModel(modelHandle, new LlamaContextHandle(context), options);
    }

    /// <summary>Tokens of <paramref name="text"/>; BOS added when the model wants it and <paramref name="addSpecial"/> is set.</summary>
    public int[] Tokenize(string text, bool addSpecial, bool parseSpecial)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var capacity = bytes.Length + 8;
        while (true)
        {
            var tokens = new int[capacity];
            int n;
            fixed (byte* t = bytes)
            fixed (int* o = tokens)
            {
                n = LlamaNative.llama_tokenize(Vocab, t, bytes.Length, o, capacity, addSpecial, parseSpecial);
            }

            if (n >= 0)
            {
                return tokens.AsSpan(0, n).ToArray();
            }

            if (n == int.MinValue)
            {
                throw new InvalidOperationException("the text is too long to tokenize");
            }

            capacity = -n;
        }
    }

    /// <summary>The bytes a token stands for (special tokens render as nothing).</summary>
    public byte[] Piece(int token)
    {
        var buffer = stackalloc byte[64];
        var n = LlamaNative.llama_token_to_piece(Vocab, token, buffer, 64, 0, false);
        if (n >= 0)
        {
            return new Span<byte>(buffer, n).ToArray();
        }

        var large = new byte[-n];
        fixed (byte* p = large)
        {
            n = LlamaNative.llama_token_to_piece(Vocab, token, p, large.Length, 0, false);
        }

        return large.AsSpan(0, Math.Max(n, 0)).ToArray();
    }

    public bool IsEndOfGeneration(int token) => LlamaNative.llama_vocab_is_eog(Vocab, token);

    /// <summary>
    /// The prompt text for chat messages: the model's chat template when it has one (and chat_template is auto),
    /// else a plain transcript ending in "Assistant:". Null when the template is one llama.cpp cannot apply.
    /// </summary>
    public string? RenderChat(IReadOnlyList<ChatMessage> messages)
    {
        if (_template is null)
        {
            var sb = new StringBuilder();
            foreach (var m in messages)
            {
                sb.Append(m.Role switch { "system" => "", "assistant" => "Assistant: ", _ => "User: " }).Append(m.Content).Append("\n\n");
            }

            return sb.Append("Assistant:").ToString();
        }

        var strings = new List<nint>();
        try
        {
            var chat = new LlamaChatMessage[messages.Count];
            var total = 0;
            for (var i = 0; i < messages.Count; i++)
            {
                var role = Marshal.StringToCoTaskMemUTF8(messages[i].Role);
                var content = Marshal.StringToCoTaskMemUTF8(messages[i].Content);
                strings.Add(role);
                strings.Add(content);
                chat[i] = new LlamaChatMessage { Role = role, Content = content };
                total += Encoding.UTF8.GetByteCount(messages[i].Content) + 64;
            }

            var buffer = new byte[Math.Max(256, total * 2)];
            fixed (byte* t = _template)
            fixed (LlamaChatMessage* c = chat)
            {
                while (true)
                {
                    int n;
                    fixed (byte* b = buffer)
                    {
                        n = LlamaNative.llama_chat_apply_template(t, c, (nuint)chat.Length, true, b, buffer.Length);
                    }

                    if (n < 0)
                    {
                        return null;
                    }

                    if (n <= buffer.Length)
                    {
                        return Encoding.UTF8.GetString(buffer, 0, n);
                    }

                    buffer = new byte[n];
                }
            }
        }
        finally
        {
            foreach (var s in strings)
            {
                Marshal.FreeCoTaskMem(s);
            }
        }
    }

    public void Dispose()
    {
        _context.Dispose();
        _model.Dispose();
    }

    private static string Reason(string fallback)
    {
        var problems = LlamaLog.Problems();
        return problems.Count == 0 ? fallback : string.Join("; ", problems.TakeLast(3));
    }
}
