using System.CommandLine;
using Spectre.Console;
using ValidationLab.Cli.Display;

namespace ValidationLab.Cli.Commands;

/// <summary>`validationlab list`: the installed suites and runners, their settings, and plug-ins that failed to load.</summary>
internal static class ListCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("list", "List installed suites and model runners with their settings.");
        command.SetAction(_ =>
        {
            var registry = context.Registry.Value;
            var console = Terminal.Create(context);
            var suites = new Table().Title("suites").AddColumn("name").AddColumn("settings").AddColumn("bundled fixture").AddColumn("description");
            foreach (var s in registry.Suites.Values)
            {
                suites.AddRow(Markup.Escape(s.Name), Markup.Escape(string.Join(", ", s.OptionKeys)), Markup.Escape(s.DefaultDataPath ?? "-"), Markup.Escape(s.Description));
            }

            var runners = new Table().Title("runners").AddColumn("name").AddColumn("settings").AddColumn("description");
            foreach (var r in registry.Runners.Values)
            {
                runners.AddRow(Markup.Escape(r.Name), Markup.Escape(string.Join(", ", r.OptionKeys)), Markup.Escape(r.Description));
            }

            console.Write(suites);
            console.Write(runners);
            foreach (var problem in registry.Problems)
            {
                console.MarkupLine($"[yellow]plug-in problem:[/] {Markup.Escape(problem)}");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
