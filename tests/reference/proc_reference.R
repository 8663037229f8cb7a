#!/usr/bin/env Rscript
# DeLong references from R pROC for ValidationLab.Statistics tests.
# Run from the repository root after statistics_reference.py (which writes the ROC cases):
#   Rscript tests/reference/proc_reference.R
# Reads tests/reference/statistics_reference.json, writes tests/reference/proc_reference.json.
suppressPackageStartupMessages({
  library(pROC)
  library(jsonlite)
})

ref <- fromJSON("tests/reference/statistics_reference.json", simplifyVector = TRUE)
cases <- ref$roc_cases
out <- list(generator = list(R = R.version.string, pROC = as.character(packageVersion("pROC"))), cases = list())

for (i in seq_len(nrow(cases))) {
  labels <- unlist(cases$labels[i])
  s1 <- unlist(cases$scores[i])
  s2 <- unlist(cases$scores2[i])
  r1 <- roc(labels, s1, levels = c(0, 1), direction = "<", quiet = TRUE)
  r2 <- roc(labels, s2, levels = c(0, 1), direction = "<", quiet = TRUE)
  ci1 <- ci.auc(r1, method = "delong", conf.level = 0.95)
  ci1_90 <- ci.auc(r1, method = "delong", conf.level = 0.90)
  test <- roc.test(r1, r2, method = "delong", paired = TRUE)
  out$cases[[i]] <- list(
    name = cases$name[i],
    auc = as.numeric(auc(r1)),
    auc2 = as.numeric(auc(r2)),
    var = var(r1, method = "delong"),
    ci95 = as.numeric(ci1)[c(1, 3)],
    ci90 = as.numeric(ci1_90)[c(1, 3)],
    paired_z = unname(test$statistic),
    paired_p = test$p.value,
    paired_ci95 = as.numeric(test$conf.int)
  )
}

writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "tests/reference/proc_reference.json")
cat("wrote tests/reference/proc_reference.json\n")
