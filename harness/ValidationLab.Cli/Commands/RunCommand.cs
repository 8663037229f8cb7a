using System.CommandLine;
using Spectre.Console;
using ValidationLab.Cli.Display;
using ValidationLab.Configuration;
using ValidationLab.Pipeline;
using ValidationLab.Reports.Html;

namespace ValidationLab.Cli.Commands;

/// <summary>`validationlab run`: evaluate a model on one or more suites and write results and a report.</summary>
internal static class RunCommand
{
    public static Command Create(CliContext context)
    {
        var config = new Option<FileInfo?>("--config") { Description = "YAML run config (runner, suites, seed, out). Without it, the flags below; with neither, the embedded default." };
        var suite = new Option<string?>("--suite") { Description = "Suite to run, e.g. medqa." };
        var data = new Option<string?>("--data") { Description = "The suite's data file." };
        var runner = new Option<string?>("--runner") { Description = "Model runner: baseline, replay, openai. Default: replay with --predictions, else baseline." };
        var predictions = new Option<string?>("--predictions") { Description = "Recorded predictions for the replay runner (CSV item_id,response or JSONL)." };
        var mode = new Option<string?>("--mode") { Description = "Scoring mode: generate or loglikelihood." };
        var shots = new Option<int?>("--shots") { Description = "Number of k-shot exemplars (needs --exemplars).", CustomParser = OptionParsers.WholeNumber };
        var exemplars = new Option<string?>("--exemplars") { Description = "File the k-shot exemplars are drawn from (never the evaluated split)." };
        var seed = new Option<int?>("--seed") { Description = "Seed for exemplar draws, baselines, --sample and endpoint decoding; overrides the config file's. Default 0.", CustomParser = OptionParsers.WholeNumber };
        var output = new Option<string?>("--out") { Description = "Folder results are written to, exactly there; must be new or empty unless --overwrite. Default runs/<run id>." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Let --out name a folder that holds files: replace the run files in it (results.json, items.*, report.html, config.yaml, trend.json); move the earlier run's comparison, gate and sign-off files to superseded/<run id>/; keep every other file." };
        var maxErrorRate = new Option<double?>("--max-error-rate") { Description = "Exit with code 3 when more than this share of items errored (results are still written).", CustomParser = OptionParsers.Number };
        var limit = new Option<int?>("--limit") { Description = "Evaluate only the first N items of each suite (a quick look; the manifest records it and compare refuses it against a full run).", CustomParser = OptionParsers.WholeNumber };
        var sample = new Option<bool>("--sample") { Description = "With --limit N: draw the N items at random with --seed instead of taking the first N." };
        var shard = new Option<string?>("--shard") { Description = "Evaluate only shard INDEX/COUNT of each suite's items (after --limit), e.g. 0/4; INDEX is 0-based like a Kubernetes Indexed Job's JOB_COMPLETION_INDEX. Items are assigned by a hash of suite and item id; combine the shard runs with validationlab merge." };
        var runnerOptions = new Option<string[]>("--runner-option") { Description = "Extra runner setting key=value (repeatable), e.g. filter.model=gpt-4o.", Arity = ArgumentArity.ZeroOrMore };
        var suiteOptions = new Option<string[]>("--suite-option") { Description = "Extra suite setting key=value (repeatable).", Arity = ArgumentArity.ZeroOrMore };
        var resume = new Option<bool>("--resume") { Description = "Continue the last unfinished run of the same config: stored answers are reused, the rest are asked." };
        var store = new Option<string?>("--store") { Description = "Run store (response cache and run records). Default .validationlab/store.db." };
        var modelCard = new Option<string?>("--model-card") { Description = "Model card for the report (JSON or YAML: intended_use, population, limitations); replaces the config's model_card. Written to the run as model-card.json." };
        var noCache = new Option<bool>("--no-cache") { Description = "Do not read or write the response cache: every request goes to the model." };
        var noRegistry = new Option<bool>("--no-registry") { Description = "Do not record the run in the run registry (validationlab runs), nor draw the report's trend over earlier runs." };

        var command = new Command("run", "Evaluate a model on suites; write results.json, items.jsonl, items.csv and report.html.")
        {
            config, suite, data, runner, predictions, mode, shots, exemplars, seed, limit, sample, shard, output, overwrite, maxErrorRate, runnerOptions, suiteOptions, resume, store, noCache, noRegistry, modelCard,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = new RunOptions
            {
                ConfigFile = parse.GetValue(config)?.ToString(),
                Suite = parse.GetValue(suite),
                Data = parse.GetValue(data),
                Runner = parse.GetValue(runner),
                Predictions = parse.GetValue(predictions),
                Mode = parse.GetValue(mode),
                Shots = parse.GetValue(shots),
                Exemplars = parse.GetValue(exemplars),
                Seed = parse.GetValue(seed),
                Out = parse.GetValue(output),
                MaxErrorRate = parse.GetValue(maxErrorRate),
                Limit = parse.GetValue(limit),
                Sample = parse.GetValue(sample),
                Shard = parse.GetValue(shard),
                Store = parse.GetValue(store),
                Overwrite = parse.GetValue(overwrite),
                ModelCard = parse.GetValue(modelCard),
                RunnerOptions = parse.GetValue(runnerOptions) ?? [],
                SuiteOptions = parse.GetValue(suiteOptions) ?? [],
            };
            var hosting = new StoreChoice(parse.GetValue(resume), parse.GetValue(noCache)) { NoRegistry = parse.GetValue(noRegistry) };
            return await ExecuteAsync(context, options, hosting, ct).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> ExecuteAsync(CliContext context, RunOptions options, StoreChoice storeChoice, CancellationToken ct)
    {
        var registry = context.Registry.Value;
        var config = new ConfigLoader(registry).Load(options);
        var pipeline = new EvaluationPipeline(registry);
        var console = Terminal.Create(context);
        using var session = new RunSession(config, storeChoice, context.Error);
        // The report shows the model card the run was given, and model-card.json keeps it for `report` to render again.
        var exporters = session.WithHistory(new HtmlReportExporter(), new Exporters.ReportEvidence { ModelCard = config.ModelCard });
        var pipelineOptions = session.Apply(new PipelineOptions
        {
            Exporters = config.ModelCard is { } card ? [.. exporters, new Output.ModelCardJsonExporter(card)] : exporters,
        });

        RunOutcome outcome;
        if (context.Plain)
        {
            outcome = await pipeline.RunAsync(config, pipelineOptions with { Progress = new PlainProgressSink(context.Out) }, ct).ConfigureAwait(false);
        }
        else
        {
            outcome = await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(ctx => pipeline.RunAsync(config, pipelineOptions with { Progress = new SpectreProgressSink(console, ctx) }, ct))
                .ConfigureAwait(false);
        }

        session.Finish();
        var recorded = session.Record(outcome);
        RunSummary.Write(console, outcome);
        if (session.StoreFailure is { } lost)
        {
            await context.Error.WriteLineAsync($"run failed: {lost}").ConfigureAwait(false);
            return ExitCodes.RunFailed;
        }

        if (!outcome.Succeeded)
        {
            await context.Error.WriteLineAsync($"run failed: {outcome.FailureReason}").ConfigureAwait(false);
            return ExitCodes.RunFailed;
        }

        return recorded ? ExitCodes.Success : ExitCodes.RunFailed;
    }
}
