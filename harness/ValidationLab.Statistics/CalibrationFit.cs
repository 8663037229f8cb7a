namespace ValidationLab.Statistics;

/// <summary>
/// Logistic recalibration of predicted probabilities: calibration intercept (calibration-in-the-large,
/// logit P(y) = a + logit(p), slope fixed at 1) and calibration slope (logit P(y) = a' + b·logit(p)).
/// Perfect calibration is intercept 0, slope 1. Intervals are Wald intervals from the Fisher information.
/// </summary>
/// <param name="Intercept">Calibration intercept a with Wald CI.</param>
/// <param name="Slope">Calibration slope b with Wald CI.</param>
/// <param name="SlopeModelIntercept">Intercept a' of the slope model.</param>
/// <param name="Iterations">Newton (IRLS) iterations used by the slope model.</param>
public sealed record CalibrationFit(Estimate Intercept, Estimate Slope, double SlopeModelIntercept, int Iterations);
