using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Collections.ObjectModel;
using System.Text;
using ValidationLab.Requests;
using ValidationLab.Runners;

namespace ValidationLab.Store.Tests.CacheKeyIdentity;

/// <summary>
/// Seeded random requests of every kind, built to reach what a hand-written serializer could get wrong: text with
/// every escaping class (quotes, backslash, controls, HTML-sensitive ASCII, non-ASCII, surrogate pairs, lone surrogates,
/// U+2028/2029, very long strings), doubles of every magnitude and sign including -0, subnormals and (rarely) NaN/±∞,
/// extreme ints, null vs absent values (nulls where the contract forbids them too, as a caller could pass them), empty
/// lists, every list and dictionary shape a suite could build, and dictionaries whose enumeration order is not
/// insertion order.
/// </summary>
internal sealed class RequestCorpus(int seed)
{
    private readonly Random _rng = new(seed);

    private static readonly char[] Escaped = ['"', '\\', '/', '<', '>', '&', '\'', '+', '`', '\n', '\r', '\t', '\b', '\f', '=', '%', '~'];

    private static readonly char[] Specials = ['\u2028', '\u2029', '\uFEFF', '\uFFFD', '\uFFFF', '\uFFFE', '\u00A0', '\u0085', '\u200B'];

    private static readonly double[] SpecialDoubles =
    [
        0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 1e-7, 1e-6, 1e15, 1e16, 1e17, 1e21, 1e22, 123456789012345678,
        double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue, 2.2250738585072014E-308, 4.9406564584124654E-324,
        0.95, 0.7, 512, 9007199254740993, 5e-324, 1.7976931348623157E+308, 100, 37.5, 98.6,
    ];

    /// <summary>Kinds of request produced so far: a test checks that the corpus really reached each case.</summary>
    public Dictionary<string, int> Coverage { get; } = new(StringComparer.Ordinal);

    private void Saw(string what) => Coverage[what] = Coverage.GetValueOrDefault(what) + 1;

    public ModelRequest Next() => _rng.Next(3) switch
    {
        0 => Generate(),
        1 => LogLikelihood(),
        _ => Risk(),
    };

    public RunnerIdentity Identity() => new()
    {
        Runner = Text(12),
        Model = Text(40),
        Source = Chance(0.3) ? null : Text(60),
        Fingerprint = Chance(0.5) ? Convert.ToHexStringLower(Bytes(32)) : Text(20),
    };

    private GenerateRequest Generate()
    {
        Saw("generate");
        return new GenerateRequest
        {
            Suite = Text(10),
            ItemId = Text(10),
            RequestId = Chance(0.5) ? "0" : Text(4),
            Choices = Choices(),
            Messages = Chance(0.03) ? null! : Messages(),
            Decoding = _rng.Next(10) switch
            {
                0 => DecodingParameters.Greedy,
                1 => null!,
                _ => Decoding(),
            },
        };
    }

    private LogLikelihoodRequest LogLikelihood()
    {
        Saw("loglikelihood");
        return new LogLikelihoodRequest
        {
            Suite = Text(10),
            ItemId = Text(10),
            Choices = Choices(),
            Context = Chance(0.03) ? null! : Text(),
            Continuations = Chance(0.03) ? null! : Shape(List(6, () => Chance(0.05) ? null! : Text(8))),
        };
    }

    private RiskRequest Risk()
    {
        Saw("risk");
        return new RiskRequest
        {
            Suite = Text(10),
            ItemId = Text(10),
            RequestId = Text(3),
            Choices = Choices(),
            PatientId = Chance(0.03) ? null! : Text(16),
            AsOf = Time(),
            Outcome = Chance(0.03) ? null! : Text(20),
            HorizonHours = Int(),
            Context = Chance(0.03) ? null! : Text(),
            Features = Chance(0.2) ? null : Features(),
            Messages = Chance(0.3) ? null : Messages(),
        };
    }

    private DecodingParameters Decoding()
    {
        Saw("decoding");
        var d = new DecodingParameters
        {
            Temperature = Double(),
            TopP = Chance(0.5) ? null : Double(),
            Seed = Chance(0.5) ? null : Int(),
            Stop = Chance(0.05) ? null! : Shape(List(4, () => Chance(0.05) ? null! : Text(6))),
        };
        return Chance(0.5) ? d with { MaxTokens = Int() } : d;
    }

    private IReadOnlyList<AnswerChoice>? Choices() => _rng.Next(6) switch
    {
        0 or 1 => null,
        2 => [],
        _ => Shape(List(6, () => Chance(0.05) ? null! : new AnswerChoice(Chance(0.05) ? null! : Text(3), Chance(0.05) ? null! : Text(60)))),
    };

    private IReadOnlyList<ChatMessage> Messages() =>
        Shape(List(4, () => Chance(0.04) ? null! : new ChatMessage(Chance(0.04) ? null! : Pick("system", "user", "assistant", Text(8)), Chance(0.04) ? null! : Text())));

    private IReadOnlyDictionary<string, double> Features()
    {
        var n = _rng.Next(5) == 0 ? 0 : _rng.Next(1, 30);
        var pairs = new List<KeyValuePair<string, double>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            var key = _rng.Next(4) == 0 ? Text(12) : Pick("news2", "qsofa", "kdigo_stage", "heart_rate", "spo2", "creatinine", "lactate", "") + (Chance(0.5) ? "" : i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (seen.Add(key))
            {
                pairs.Add(new(key, Double()));
            }
        }

        switch (_rng.Next(7))
        {
            case 0:
            case 1:
                Saw("features:Dictionary");
                // Removals then insertions reuse free slots: enumeration order is then not insertion order.
                var d = new Dictionary<string, double>(StringComparer.Ordinal);
                foreach (var (k, v) in pairs)
                {
                    d[k] = v;
                }

                foreach (var k in pairs.Where(_ => Chance(0.3)).Select(p => p.Key).ToList())
                {
                    d.Remove(k);
                }

                for (var i = 0; i < 3; i++)
                {
                    d["late" + Text(4)] = Double();
                }

                return d;
            case 2:
            case 3:
                Saw("features:SortedDictionary");
                return new SortedDictionary<string, double>(pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), StringComparer.Ordinal);
            case 4:
                Saw("features:SortedDictionary(culture)");
                return new SortedDictionary<string, double>(pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
            case 5:
                Saw("features:ReadOnlyDictionary");
                return new ReadOnlyDictionary<string, double>(pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
            default:
                Saw("features:Immutable/Frozen");
                return Chance(0.5) ? pairs.ToImmutableDictionary(StringComparer.Ordinal) : pairs.ToFrozenDictionary(StringComparer.Ordinal);
        }
    }

    /// <summary>The same items as an array, a List, a collection expression, a ReadOnlyCollection or an ImmutableArray.</summary>
    private IReadOnlyList<T> Shape<T>(List<T> items)
    {
        switch (_rng.Next(6))
        {
            case 0:
                Saw("list:array");
                return items.ToArray();
            case 1:
                Saw("list:List");
                return items;
            case 2:
                Saw("list:collection-expression");
                IReadOnlyList<T> expression = [.. items];
                return expression;
            case 3:
                Saw("list:ReadOnlyCollection");
                return items.AsReadOnly();
            case 4:
                Saw("list:ImmutableArray");
                return items.ToImmutableArray();
            default:
                Saw("list:empty");
                return [];
        }
    }

    private List<T> List<T>(int max, Func<T> item)
    {
        var n = _rng.Next(max + 1);
        var list = new List<T>(n);
        for (var i = 0; i < n; i++)
        {
            list.Add(item());
        }

        return list;
    }

    private DateTimeOffset Time()
    {
        var offset = _rng.Next(4) switch
        {
            0 => TimeSpan.Zero,
            1 => TimeSpan.FromHours(_rng.Next(-12, 15)),
            _ => TimeSpan.FromMinutes(_rng.Next(-14 * 60, 14 * 60 + 1)),
        };
        var ticks = new DateTime(1900, 1, 1).Ticks + _rng.NextInt64(new DateTime(2200, 1, 1).Ticks - new DateTime(1900, 1, 1).Ticks);
        ticks = _rng.Next(4) switch
        {
            0 => ticks - (ticks % TimeSpan.TicksPerSecond),
            1 => ticks - (ticks % TimeSpan.TicksPerMillisecond),
            _ => ticks,
        };
        return new DateTimeOffset(ticks, offset);
    }

    private int Int() => _rng.Next(8) switch
    {
        0 => int.MaxValue,
        1 => int.MinValue,
        2 => 0,
        3 => -_rng.Next(1000),
        _ => _rng.Next(100_000),
    };

    private double Double()
    {
        var r = _rng.Next(100);
        if (r < 2)
        {
            // Not JSON: the old serializer refused these; the new writer must refuse them the same way.
            Saw("double:non-finite");
            return Pick(double.NaN, double.PositiveInfinity, double.NegativeInfinity, BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_0123));
        }

        if (r < 25)
        {
            return Pick(SpecialDoubles);
        }

        if (r < 45)
        {
            return Math.Round(_rng.NextDouble() * 200, _rng.Next(4));
        }

        if (r < 60)
        {
            return _rng.Next(-1000, 1000);
        }

        if (r < 80)
        {
            return (_rng.NextDouble() - 0.5) * Math.Pow(10, _rng.Next(-320, 309));
        }

        // Any finite bit pattern (subnormals included).
        double d;
        do
        {
            d = BitConverter.Int64BitsToDouble(_rng.NextInt64(long.MinValue, long.MaxValue));
        }
        while (!double.IsFinite(d));
        return d;
    }

    private string Text(int typical = 200)
    {
        var r = _rng.Next(1000);
        var length = r switch
        {
            < 80 => 0,
            < 800 => _rng.Next(1, typical + 1),
            < 995 => _rng.Next(typical, typical * 20 + 1),
            _ => _rng.Next(20_000, 70_000), // beyond any first buffer size
        };
        var sb = new StringBuilder(length + 1);
        while (sb.Length < length)
        {
            var c = _rng.Next(100);
            if (c < 55)
            {
                sb.Append((char)_rng.Next(0x20, 0x7F));
            }
            else if (c < 65)
            {
                sb.Append(Pick(Escaped));
            }
            else if (c < 70)
            {
                Saw("text:control");
                sb.Append((char)Pick(_rng.Next(0, 0x20), 0x7F, _rng.Next(0x80, 0xA0)));
            }
            else if (c < 84)
            {
                Saw("text:bmp");
                var ch = _rng.Next(0xA0, 0x10000);
                sb.Append(ch is >= 0xD800 and <= 0xDFFF ? 'é' : (char)ch);
            }
            else if (c < 93)
            {
                Saw("text:surrogate-pair");
                sb.Append(char.ConvertFromUtf32(_rng.Next(0x10000, 0x110000)));
            }
            else if (c < 96)
            {
                Saw("text:lone-surrogate");
                sb.Append((char)_rng.Next(0xD800, 0xE000));
            }
            else
            {
                sb.Append(Pick(Specials));
            }
        }

        return sb.ToString();
    }

    private byte[] Bytes(int n)
    {
        var b = new byte[n];
        _rng.NextBytes(b);
        return b;
    }

    private bool Chance(double p) => _rng.NextDouble() < p;

    private T Pick<T>(params T[] values) => values[_rng.Next(values.Length)];
}
