using System.Globalization;

namespace ValidationLab.Governance;

/// <summary>
/// Verifies a run's chain of sign-off records, in the store and in its mirror (signoffs.jsonl), and the two against
/// each other. Each problem names the record (index, signer) and what differs. Without a key held elsewhere a
/// rewrite of the whole chain in both copies, or the removal of the newest record from both, cannot be seen from
/// the files alone: compare the head hash with the one printed at signing (docs/governance.md).
/// </summary>
public static class AuditTrail
{
    /// <summary>Problems in one copy of a chain, in order; empty when intact.</summary>
    public static IReadOnlyList<string> VerifyChain(IReadOnlyList<SignoffRecord> records, string source)
    {
        ArgumentNullException.ThrowIfNull(records);
        var problems = new List<string>();
        var seqs = records.Select(r => r.Seq).ToList();
        var expected = Enumerable.Range(0, records.Count).Select(i => (long)i).ToList();
        if (seqs.Order().SequenceEqual(expected) && !seqs.SequenceEqual(expected))
        {
            problems.Add($"{source}: the records were reordered: they appear in the order {string.Join(", ", seqs)}");
        }
        else
        {
            var present = seqs.ToHashSet();
            var max = seqs.Count == 0 ? -1 : seqs.Max();
            for (long s = 0; s < max; s++)
            {
                if (!present.Contains(s))
                {
                    var next = records.FirstOrDefault(r => r.Seq > s);
                    problems.Add($"{source}: record {s} is missing (deleted){(next is null ? "" : $"; {next.Label} no longer follows its predecessor")}");
                }
            }
        }

        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            if (r.ComputeHash() != r.RecordHash)
            {
                problems.Add($"{source}: {r.Label} was edited after it was signed: its content does not match its hash {Short(r.RecordHash)}");
            }

            var previous = i == 0 ? SignoffRecord.Genesis : records[i - 1].RecordHash;
            if (r.PrevHash != previous && !problems.Any(p => p.Contains("reordered", StringComparison.Ordinal) || p.Contains("missing", StringComparison.Ordinal)))
            {
                problems.Add($"{source}: {r.Label} does not follow the record before it (its previous hash is {Short(r.PrevHash)}, the record before it hashes to {Short(previous)})");
            }
        }

        return problems;
    }

    /// <summary>Differences between the store's copy and the mirror's, record by record.</summary>
    public static IReadOnlyList<string> CompareCopies(IReadOnlyList<SignoffRecord> store, IReadOnlyList<SignoffRecord> mirror, string mirrorName)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(mirror);
        var problems = new List<string>();
        var bySeq = mirror.GroupBy(r => r.Seq).ToDictionary(g => g.Key, g => g.First());
        foreach (var s in store)
        {
            if (!bySeq.TryGetValue(s.Seq, out var m))
            {
                problems.Add($"{s.Label} is in the store but not in {mirrorName} (deleted from the mirror, or the mirror was not written)");
                continue;
            }

            var diff = SignoffRecord.Differences(s, m, "store", "mirror");
            if (diff.Count > 0)
            {
                problems.Add($"{s.Label} differs between the store and {mirrorName}: {string.Join("; ", diff)}");
            }
        }

        var inStore = store.Select(r => r.Seq).ToHashSet();
        problems.AddRange(mirror.Where(m => !inStore.Contains(m.Seq))
            .Select(m => $"{m.Label} is in {mirrorName} but not in the store (deleted from the store)"));
        return problems;
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12].ToString(CultureInfo.InvariantCulture) : hash;
}
