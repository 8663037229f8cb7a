#!/usr/bin/env pwsh
# Thin wrapper: forwards every argument to the validationlab CLI and returns its exit code. Installs nothing.
#   ./run-eval.ps1 run --suite medqa --data path/to/test.jsonl --runner replay --predictions preds.csv --out runs/x
$project = Join-Path $PSScriptRoot 'harness/ValidationLab.Cli/ValidationLab.Cli.csproj'
& dotnet run --project $project -- @args
exit $LASTEXITCODE
