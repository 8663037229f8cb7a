using System.CommandLine;
using System.CommandLine.Help;
using ValidationLab.Cli.Commands;
using ValidationLab.Errors;
using ValidationLab.Discovery;

namespace ValidationLab.Cli;

/// <summary>
/// Builds the `validationlab` command tree and turns every outcome into one message and an exit code
/// (<see cref="ExitCodes"/>). A user's mistake is one line on stderr, never a stack trace.
/// </summary>
public static class CliApplication
{
    /// <summary>
    /// The command tree. The root is a plain command named "validationlab" rather than a RootCommand, whose name
    /// comes from the host process (it would read "testhost" in tests and "dotnet" under some launchers).
    /// </summary>
    public static Command BuildRoot(CliContext context)
    {
        var root = new Command("validationlab", "ValidationLab: evaluate clinical AI models on benchmarks and replayed care, with the uncertainty a governance board needs.")
        {
            new HelpOption(),
            new VersionOption(),
        };
        root.Subcommands.Add(RunCommand.Create(context));
        root.Subcommands.Add(CompareCommand.Create(context));
        root.Subcommands.Add(ListCommand.Create(context));
        root.Subcommands.Add(GateCommand.Create(context));
        root.Subcommands.Add(SignoffCommand.Create(context));
        root.Subcommands.Add(AuditCommand.Create(context));
        root.Subcommands.Add(ReportCommand.Create(context));
        root.Subcommands.Add(MergeCommand.Create(context));
        root.Subcommands.Add(RunsCommand.Create(context));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var context = new CliContext(stdout, stderr, new Lazy<PluginCatalog>(() => PluginCatalog.Discover()));
        var root = BuildRoot(context);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await stderr.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }

            await stderr.WriteLineAsync($"Run '{CommandPath(parse)} --help' for usage.").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // First Ctrl-C cancels cleanly (nothing half-written); a second one kills the process as usual.
            e.Cancel = !cts.IsCancellationRequested;
            cts.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var invocation = new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            };
            return await parse.InvokeAsync(invocation, cts.Token).ConfigureAwait(false);
        }
        catch (InputException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Describe()}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("cancelled; no results were written (answers already stored in the cache are kept; use --resume)").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
        catch (Exception ex)
        {
            await stderr.WriteLineAsync($"internal error (a bug in ValidationLab, please report it): {ex.GetType().Name}: {ex.Message}").ConfigureAwait(false);
            if (Environment.GetEnvironmentVariable("VALIDATIONLAB_DEBUG") == "1")
            {
                await stderr.WriteLineAsync(ex.ToString()).ConfigureAwait(false);
            }

            return ExitCodes.InternalError;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(result.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
