using ValidationLab.Suites;
using ValidationLab.Suites.MedQA;

// The pipeline discovers suites through this attribute, so adding MedQA edits nothing outside this project.
[assembly: SuiteFactory(typeof(MedQaSuiteFactory))]
