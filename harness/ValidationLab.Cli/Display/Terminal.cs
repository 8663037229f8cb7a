using Spectre.Console;

namespace ValidationLab.Cli.Display;

/// <summary>A Spectre console bound to the command's output: colours on a terminal, none when plain.</summary>
internal static class Terminal
{
    public static IAnsiConsole Create(CliContext context) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(context.Out),
        Ansi = context.Plain ? AnsiSupport.No : AnsiSupport.Detect,
        ColorSystem = context.Plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        Interactive = context.Plain ? InteractionSupport.No : InteractionSupport.Detect,
    });
}
