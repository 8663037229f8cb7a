using System.Globalization;
using ValidationLab.Requests;

namespace ValidationLab.Runners.Baseline;

// BaselineRunner: risk requests, answered from one structured feature on its published scale (RiskFeatureScale).
// With the default feature, news2, this is the embedded default model of the longitudinal suite.
public sealed partial class BaselineRunner
{
    /// <summary>The feature risk requests are answered from (option <c>risk_feature</c>, default <c>news2</c>).</summary>
    public string RiskFeature { get; } = "news2";

    private ModelResponse AnswerRisk(RiskRequest request)
    {
        if (request.Features is null || !request.Features.TryGetValue(RiskFeature, out double value))
        {
            var available = request.Features is { Count: > 0 } f ? string.Join(", ", f.Keys.Order(StringComparer.Ordinal)) : "none";
            return ModelResponse.Failed(request, "missing_feature",
                $"the baseline scores risk from '{RiskFeature}', which this request does not carry (features: {available})");
        }

        var (score, problem) = RiskFeatureScale.Map(RiskFeature, value);
        if (score is not { } probability)
        {
            return ModelResponse.Failed(request, "invalid_feature", problem!);
        }

        return ModelResponse.For(request) with
        {
            Probability = probability,
            Text = probability.ToString("R", CultureInfo.InvariantCulture),
            Method = $"baseline:{RiskFeature}",
        };
    }
}
