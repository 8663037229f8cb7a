// The suite factory registers here once the suite is complete:
// [assembly: ValidationLab.Suites.SuiteFactory(typeof(ValidationLab.Suites.Longitudinal.LongitudinalSuiteFactory))]
