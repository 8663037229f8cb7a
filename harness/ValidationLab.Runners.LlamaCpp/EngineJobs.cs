using System.Text;
using ValidationLab.Runners.LlamaCpp.Native;

namespace ValidationLab.Runners.LlamaCpp;

/// <summary>
/// One KV-cache sequence a job feeds: tokens to evaluate (at positions <see cref="StartPosition"/> onwards) and
/// which of them need logits. A branch may start as a copy of another sequence (shared prefix).
/// </summary>
internal sealed class Branch(int index)
{
    public int Index { get; } = index;

    public int Sequence { get; set; }

    public List<int> Tokens { get; } = [];

    public List<bool> WantsLogits { get; } = [];

    public int Fed { get; set; }

    public int StartPosition { get; set; }

    /// <summary>Not fed until set (an option branch waits for its shared prefix).</summary>
    public bool Ready { get; set; } = true;

    /// <summary>A sequence to copy (llama_memory_seq_cp) into this one before its first token; -1 for none.</summary>
    public int CopyFrom { get; set; } = -1;

    public bool HasWork => Ready && Fed < Tokens.Count;

    public void Add(int token, bool wantsLogits)
    {
        Tokens.Add(token);
        WantsLogits.Add(wantsLogits);
    }
}

/// <summary>What the engine does for one request, step by step on its thread.</summary>
internal abstract class EngineJob(CancellationToken cancellationToken)
{
    public CancellationToken CancellationToken { get; } = cancellationToken;

    public List<Branch> Branches { get; } = [];

    /// <summary>KV-cache cells the job can occupy at most; the engine admits jobs while they fit.</summary>
    public abstract int ReserveCells { get; }

    public int PromptTokens { get; protected set; }

    public bool Done { get; protected set; }

    public string? Error { get; set; }

    /// <summary>Called once sequence ids are assigned, before the first batch.</summary>
    public abstract void Start(LlamaModel model);

    /// <summary>Logits for token <paramref name="tokenIndex"/> of <paramref name="branch"/>, at batch row <paramref name="batchIndex"/>.</summary>
    public abstract unsafe void OnOutput(LlamaModel model, Branch branch, int tokenIndex, int batchIndex, float* logits);

    /// <summary>Completes the caller's task (on the engine thread; continuations run elsewhere).</summary>
    public abstract void Complete();

    public abstract void Fail(Exception exception);

    /// <summary>log P(token) under <paramref name="logits"/>: log-softmax in double precision.</summary>
    public static unsafe double LogProb(float* logits, int vocab, int token)
    {
        var max = float.NegativeInfinity;
        for (var i = 0; i < vocab; i++)
        {
            max = Math.Max(max, logits[i]);
        }

        double sum = 0;
        for (var i = 0; i < vocab; i++)
        {
            sum += Math.Exp(logits[i] - max);
        }

        return logits[token] - max - Math.Log(sum);
    }
}

/// <summary>The result of generation: text, tokens and the log-probability of each token as it was chosen.</summary>
internal sealed record GenerationResult(string Text, int[] Tokens, double[] LogProbs, int PromptTokens, string FinishReason);

/// <summary>Greedy or seeded sampling from a prompt, with stop strings and a token limit.</summary>
internal sealed class GenerateJob : EngineJob
{
    private readonly int[] _prompt;
    private readonly int _maxTokens;
    private readonly IReadOnlyList<string> _stop;
    private readonly float _temperature;
    private readonly float? _topP;
    private readonly uint _seed;
    private readonly int _contextLimit;
    private readonly List<int> _generated = [];
    private readonly List<double> _logProbs = [];
    private readonly StringBuilder _text = new();
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private readonly TaskCompletionSource<GenerationResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LlamaSamplerHandle? _sampler;
    private string _finish = "length";
    private int _cut = -1;

    public GenerateJob(int[] prompt, int maxTokens, IReadOnlyList<string> stop, double temperature, double? topP, uint seed, int contextLimit, CancellationToken cancellationToken)
        : base(cancellationToken)
    {
        _prompt = prompt;
        _maxTokens = maxTokens;
        _stop = stop;
        _temperature = (float)temperature;
        _topP = topP is { } p ? (float)p : null;
        _seed = seed;
        _contextLimit = contextLimit;
        PromptTokens = prompt.Length;
        var branch = new Branch(0);
        for (var i = 0; i < prompt.Length; i++)
        {
            branch.Add(prompt[i], i == prompt.Length - 1);
        }

        Branches.Add(branch);
    }

    public Task<GenerationResult> Task => _completion.Task;

    public override int ReserveCells => Math.Min(_prompt.Length + _maxTokens, _contextLimit);

    public override void Start(LlamaModel model)
    {
        var chain = LlamaNative.llama_sampler_chain_init(LlamaNative.llama_sampler_chain_default_params());
        _sampler = new LlamaSamplerHandle(chain);
        if (_temperature <= 0)
        {
            LlamaNative.llama_sampler_chain_add(chain, LlamaNative.llama_sampler_init_greedy());
        }
        else
        {
            if (_topP is { } p && p < 1)
            {
                LlamaNative.llama_sampler_chain_add(chain, LlamaNative.llama_sampler_init_top_p(p, 1));
            }

            LlamaNative.llama_sampler_chain_add(chain, LlamaNative.llama_sampler_init_temp(_temperature));
            LlamaNative.llama_sampler_chain_add(chain, LlamaNative.llama_sampler_init_dist(_seed));
        }
    }

    public override unsafe void OnOutput(LlamaModel model, Branch branch, int tokenIndex, int batchIndex, float* logits)
    {
        var token = LlamaNative.llama_sampler_sample(_sampler!.DangerousGetHandle(), model.Context, batchIndex);
        if (model.IsEndOfGeneration(token))
        {
            _finish = "stop";
            Done = true;
            return;
        }

        _generated.Add(token);
        _logProbs.Add(LogProb(logits, model.VocabSize, token));
        var piece = model.Piece(token);
        var chars = new char[_decoder.GetCharCount(piece, flush: false)];
        _decoder.GetChars(piece, chars, flush: false);
        _text.Append(chars);
        if (StopAt() is { } cut)
        {
            _cut = cut;
            _finish = "stop";
            Done = true;
            return;
        }

        if (_generated.Count >= _maxTokens || _prompt.Length + _generated.Count >= _contextLimit)
        {
            Done = true;
            return;
        }

        branch.Add(token, true);
    }

    public override void Complete()
    {
        _sampler?.Dispose();
        var text = _cut >= 0 ? _text.ToString(0, _cut) : _text.ToString();
        _completion.TrySetResult(new GenerationResult(text, [.. _generated], [.. _logProbs], PromptTokens, _finish));
    }

    public override void Fail(Exception exception)
    {
        _sampler?.Dispose();
        if (exception is OperationCanceledException oce)
        {
            _completion.TrySetCanceled(oce.CancellationToken);
        }
        else
        {
            _completion.TrySetException(exception);
        }
    }

    /// <summary>Where the first stop string begins, looking only where the last piece could have completed one.</summary>
    private int? StopAt()
    {
        foreach (var stop in _stop)
        {
            if (stop.Length == 0)
            {
                continue;
            }

            var from = Math.Max(0, _text.Length - stop.Length - 16);
            var index = _text.ToString(from, _text.Length - from).IndexOf(stop, StringComparison.Ordinal);
            if (index >= 0)
            {
                return from + index;
            }
        }

        return null;
    }
}

/// <summary>The result of scoring: log P(continuation | context) per continuation and the tokens evaluated.</summary>
internal sealed record ScoringResult(double[] LogLikelihoods, int PromptTokens, int EvaluatedTokens);

/// <summary>
/// Scores continuations of one context. Shared prefix: branch 0 evaluates the context once; its last logits score
/// every continuation's first token; a continuation of several tokens continues from a copy of branch 0's sequence.
/// Separate: every continuation is evaluated with the whole context from scratch, as lm-evaluation-harness does.
/// </summary>
internal sealed class ScoringJob : EngineJob
{
    private readonly int[] _context;
    private readonly int[][] _continuations;
    private readonly bool _shared;
    private readonly double[] _sums;
    private readonly TaskCompletionSource<ScoringResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _pendingOutputs;

    public ScoringJob(int[] context, int[][] continuations, bool shared, CancellationToken cancellationToken)
        : base(cancellationToken)
    {
        _context = context;
        _continuations = continuations;
        _shared = shared;
        _sums = new double[continuations.Length];
        PromptTokens = context.Length;
        if (shared)
        {
            var prefix = new Branch(-1);
            for (var i = 0; i < context.Length; i++)
            {
                prefix.Add(context[i], i == context.Length - 1);
            }

            Branches.Add(prefix);
            _pendingOutputs = continuations.Count(c => c.Length > 0) > 0 ? 1 : 0;
            for (var o = 0; o < continuations.Length; o++)
            {
                if (continuations[o].Length > 1)
                {
                    var branch = new Branch(o) { Ready = false, StartPosition = context.Length };
                    for (var j = 0; j < continuations[o].Length - 1; j++)
                    {
                        branch.Add(continuations[o][j], true);
                    }

                    Branches.Add(branch);
                    _pendingOutputs += branch.Tokens.Count;
                }
            }
        }
        else
        {
            for (var o = 0; o < continuations.Length; o++)
            {
                if (continuations[o].Length == 0)
                {
                    continue;
                }

                var branch = new Branch(o);
                var all = context.Concat(continuations[o].SkipLast(1)).ToArray();
                for (var j = 0; j < all.Length; j++)
                {
                    branch.Add(all[j], j >= context.Length - 1);
                }

                Branches.Add(branch);
                _pendingOutputs += continuations[o].Length;
            }
        }

        EvaluatedTokens = Branches.Sum(b => b.Tokens.Count);
        ReserveCells = EvaluatedTokens;
    }

    public Task<ScoringResult> Task => _completion.Task;

    public override int ReserveCells { get; }

    public int EvaluatedTokens { get; }

    public override void Start(LlamaModel model)
    {
        Done = _pendingOutputs == 0;
    }

    public override unsafe void OnOutput(LlamaModel model, Branch branch, int tokenIndex, int batchIndex, float* logits)
    {
        if (branch.Index < 0)
        {
            // The context's last logits score the first token of every continuation, then the option branches
            // continue from a copy of the context's sequence.
            for (var o = 0; o < _continuations.Length; o++)
            {
                if (_continuations[o].Length > 0)
                {
                    _sums[o] += LogProb(logits, model.VocabSize, _continuations[o][0]);
                }
            }

            foreach (var b in Branches.Where(b => b.Index >= 0))
            {
                b.CopyFrom = branch.Sequence;
                b.Ready = true;
            }
        }
        else
        {
            var target = _shared ? tokenIndex + 1 : tokenIndex - (_context.Length - 1);
            _sums[branch.Index] += LogProb(logits, model.VocabSize, _continuations[branch.Index][target]);
        }

        Done = --_pendingOutputs == 0;
    }

    public override void Complete() => _completion.TrySetResult(new ScoringResult(_sums, PromptTokens, EvaluatedTokens));

    public override void Fail(Exception exception)
    {
        if (exception is OperationCanceledException oce)
        {
            _completion.TrySetCanceled(oce.CancellationToken);
        }
        else
        {
            _completion.TrySetException(exception);
        }
    }
}
