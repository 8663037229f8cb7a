#!/usr/bin/env Rscript
# Unpaired DeLong tests (R pROC) for the slicing stage's AUROC slices; called by slices_reference.py.
# Reads the JSON pairs on stdin-file argument 1, writes JSON results to argument 2.
suppressPackageStartupMessages({
  library(pROC)
  library(jsonlite)
})
args <- commandArgs(trailingOnly = TRUE)
pairs <- fromJSON(args[1], simplifyVector = FALSE)
out <- list(generator = list(R = R.version.string, pROC = as.character(packageVersion("pROC"))), tests = list())
for (p in pairs) {
  r1 <- roc(unlist(p$labels1), unlist(p$scores1), levels = c(0, 1), direction = "<", quiet = TRUE)
  r2 <- roc(unlist(p$labels2), unlist(p$scores2), levels = c(0, 1), direction = "<", quiet = TRUE)
  t <- roc.test(r1, r2, method = "delong", paired = FALSE)
  out$tests[[length(out$tests) + 1]] <- list(key = p$key, auc1 = as.numeric(auc(r1)), auc2 = as.numeric(auc(r2)),
    var1 = var(r1, method = "delong"), var2 = var(r2, method = "delong"), z = unname(t$statistic), p = t$p.value)
}
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), args[2])
