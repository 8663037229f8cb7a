namespace ValidationLab.Statistics;

/// <summary>
/// The 2×2 table of a paired binary comparison of model A against model B on the same items.
/// </summary>
/// <param name="BothCorrect">a: both correct.</param>
/// <param name="OnlyFirstCorrect">b: A correct, B wrong (discordant).</param>
/// <param name="OnlySecondCorrect">c: A wrong, B correct (discordant).</param>
/// <param name="BothWrong">d: both wrong.</param>
public sealed record PairedCounts(int BothCorrect, int OnlyFirstCorrect, int OnlySecondCorrect, int BothWrong)
{
    /// <summary>Total number of paired items, a + b + c + d.</summary>
    public int N => BothCorrect + OnlyFirstCorrect + OnlySecondCorrect + BothWrong;

    /// <summary>Counts the four cells from two outcome vectors on the same items (true = correct).</summary>
    public static PairedCounts FromOutcomes(ReadOnlySpan<bool> first, ReadOnlySpan<bool> second)
    {
        Guard.SameLength(first.Length, second.Length, nameof(first), nameof(second));
        int a = 0, b = 0, c = 0;
        for (int i = 0; i < first.Length; i++)
        {
            if (first[i])
            {
                if (second[i])
                {
                    a++;
                }
                else
                {
                    b++;
                }
            }
            else if (second[i])
            {
                c++;
            }
        }

        return new PairedCounts(a, b, c, first.Length - a - b - c);
    }

    internal void Validate()
    {
        Guard.NonNegative(BothCorrect, nameof(BothCorrect));
        Guard.NonNegative(OnlyFirstCorrect, nameof(OnlyFirstCorrect));
        Guard.NonNegative(OnlySecondCorrect, nameof(OnlySecondCorrect));
        Guard.NonNegative(BothWrong, nameof(BothWrong));
    }
}
