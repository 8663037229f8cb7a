#!/usr/bin/env Rscript
# Times R pROC roc() + ci.auc(method="delong") on the 1,000,000-score benchmark set.
#   Rscript benchmarks/reference/proc_timing.R
suppressPackageStartupMessages(library(pROC))
dir <- Sys.getenv("VL_BENCH_DATA", "/tmp/validationlab-bench")
n <- 1000000
scores <- readBin(file.path(dir, "roc_scores.f64"), "double", n = n, size = 8, endian = "little")
labels <- readBin(file.path(dir, "roc_labels.u8"), "integer", n = n, size = 1, signed = FALSE)
times <- c()
for (i in 1:3) {
  t <- system.time({
    r <- roc(labels, scores, levels = c(0, 1), direction = "<", quiet = TRUE)
    ci <- ci.auc(r, method = "delong")
  })
  times <- c(times, t[["elapsed"]])
}
cat(sprintf("pROC %s roc()+ci.auc(delong), n=%d: auc=%.6f ci=[%.6f, %.6f]; elapsed s per run: %s; median %.3f\n",
            packageVersion("pROC"), n, as.numeric(auc(r)), ci[1], ci[3], paste(sprintf("%.3f", times), collapse = " "), median(times)))
