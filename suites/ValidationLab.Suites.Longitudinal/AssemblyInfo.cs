using ValidationLab.Suites;
using ValidationLab.Suites.Longitudinal;

// The pipeline discovers suites through this attribute, so adding the longitudinal suite edits nothing outside this project.
[assembly: SuiteFactory(typeof(LongitudinalSuiteFactory))]
