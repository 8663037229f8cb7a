using System.Globalization;
using ValidationLab.Errors;
using ValidationLab.Requests;

namespace ValidationLab.Runners.Replay;

/// <summary>
/// Answers each request with the recorded prediction of its item. Predictions are matched to the plan before
/// the run: duplicates stop it; predictions for unknown items and items without predictions are counted and
/// reported (errors under <c>strict: true</c>). An item without a prediction is an errored item, never a wrong one.
/// </summary>
public sealed class ReplayRunner : IModelRunner
{
    private static readonly IReadOnlySet<RequestKind> Kinds = new HashSet<RequestKind> { RequestKind.Generate, RequestKind.Risk };

    private readonly string _path;
    private readonly string _display;
    private readonly PredictionFileReader _reader;
    private readonly bool _strict;
    private Dictionary<(string? Suite, string Id), RecordedPrediction> _byItem = [];

    public ReplayRunner(string path, string display, PredictionFileReader reader, string model, bool strict)
    {
        _path = path;
        _display = display;
        _reader = reader;
        _strict = strict;
        var filters = string.Join(";", reader.Filters.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}"));
        Identity = IdentityFor(path, model, $"{reader.IdColumn}|{reader.ResponseColumn}|{filters}");
    }

    /// <summary>A replay runner's identity: the predictions file's content and how it is read.</summary>
    internal static RunnerIdentity IdentityFor(string path, string model, string howRead) => new()
    {
        Runner = "replay",
        Model = model,
        Source = path,
        Fingerprint = RequestHasher.Sha256Hex(
            $"{(File.Exists(path) ? Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))) : "missing")}|{howRead}"),
    };

    public RunnerIdentity Identity { get; }

    public IReadOnlySet<RequestKind> SupportedKinds => Kinds;

    public int MaxConcurrency => Environment.ProcessorCount;

    /// <summary>The number of recorded predictions that matched no planned item (after the last prepare).</summary>
    public int UnmatchedPredictions { get; private set; }

    public ValueTask<IReadOnlyList<string>> PrepareAsync(IReadOnlyList<ModelRequest> plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var rows = _reader.Read(_path, _display);
        var suites = plan.Select(r => r.Suite).Distinct(StringComparer.Ordinal).ToList();
        var byItem = new Dictionary<(string?, string), RecordedPrediction>();
        foreach (var row in rows)
        {
            // A file without a suite column answers for the only suite planned (or for every suite by item id).
            var key = (row.Suite, row.ItemId);
            if (!byItem.TryAdd(key, row))
            {
                throw new InputException($"item '{row.ItemId}' has a second prediction (the first is on line {byItem[key].Line.ToString(CultureInfo.InvariantCulture)})",
                    _display, row.Line, _reader.IdColumn);
            }
        }

        _byItem = byItem;
        var planned = plan.Select(r => (r.Suite, r.ItemId)).ToHashSet();
        var unmatched = rows.Where(r => r.Suite is null
            ? !suites.Any(s => planned.Contains((s, r.ItemId)))
            : !planned.Contains((r.Suite, r.ItemId))).ToList();
        // A request for '<item>#<probe>' (e.g. 'q12#sex_swap') asks a changed copy of a planned item for a suite's
        // probe: without a row, the probe loses that pair, but the item itself is answered by its own row.
        var plannedIds = plan.Select(r => r.ItemId).ToHashSet(StringComparer.Ordinal);
        var unanswered = plan.Where(r => Find(r) is null).Select(r => r.ItemId).Distinct(StringComparer.Ordinal).ToList();
        var probeTwins = unanswered.Where(id => ProbeOf(id, plannedIds) is not null).ToList();
        var missing = unanswered.Except(probeTwins, StringComparer.Ordinal).ToList();
        UnmatchedPredictions = unmatched.Count;

        var warnings = new List<string>();
        if (rows.Count == 0)
        {
            throw new InputException(_reader.Filters.Count == 0 ? "the predictions file has no rows"
                : $"no rows match {string.Join(", ", _reader.Filters.Select(f => $"{f.Key}={f.Value}"))}", _display);
        }

        if (unmatched.Count > 0)
        {
            var message = $"{unmatched.Count} recorded prediction(s) in {_display} match no item (first: '{unmatched[0].ItemId}' on line {unmatched[0].Line})";
            warnings.Add(_strict ? throw new InputException(message, _display, unmatched[0].Line, _reader.IdColumn) : message);
        }

        if (missing.Count > 0)
        {
            var message = $"{missing.Count} item(s) have no recorded prediction (first: '{missing[0]}'); they are counted as errored, not wrong";
            warnings.Add(_strict ? throw new InputException(message, _display, field: _reader.IdColumn) : message);
        }

        foreach (var probe in probeTwins.GroupBy(id => ProbeOf(id, plannedIds)!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var first = probe.First();
            var message = string.Create(CultureInfo.InvariantCulture,
                $"{probe.Count()} item(s) asked again for the '{probe.Key}' probe have no recorded answer to the changed prompt in {_display} (first: '{first}'). "
                + $"Those items are left out of the probe (counted as its errored pairs, never as flips); their own results come from their own rows and are unaffected. "
                + $"To probe them, add rows with item id '<item_id>#{probe.Key}' holding the model's answer to the changed prompt; otherwise run without the '{probe.Key}' probe.");
            warnings.Add(_strict ? throw new InputException(message, _display, field: _reader.IdColumn) : message);
        }

        return ValueTask.FromResult<IReadOnlyList<string>>(warnings);
    }

    public Task<ModelResponse> ExecuteAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Find(request) is not { } row)
        {
            return Task.FromResult(ModelResponse.Failed(request, "no_prediction", $"no recorded prediction for item '{request.ItemId}' in {_display}"));
        }

        if (request.Kind == RequestKind.Risk && row.Probability is null)
        {
            return Task.FromResult(ModelResponse.Failed(request, "no_probability", $"the prediction on line {row.Line} has no probability"));
        }

        return Task.FromResult(ModelResponse.For(request) with
        {
            Text = row.Response,
            Probability = row.Probability,
            Method = "recorded",
        });
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The probe name of '<item>#<probe>' when '<item>' is itself planned; null for any other id.</summary>
    private static string? ProbeOf(string itemId, IReadOnlySet<string> plannedIds)
    {
        var hash = itemId.LastIndexOf('#');
        return hash > 0 && hash < itemId.Length - 1 && plannedIds.Contains(itemId[..hash]) ? itemId[(hash + 1)..] : null;
    }

    private RecordedPrediction? Find(ModelRequest r) =>
        _byItem.TryGetValue((r.Suite, r.ItemId), out var row) || _byItem.TryGetValue((null, r.ItemId), out row) ? row : null;
}
