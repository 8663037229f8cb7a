using Spectre.Console;
using ValidationLab.Pipeline;
using ValidationLab.Requests;

namespace ValidationLab.Cli.Display;

/// <summary>A live progress bar on a terminal; the description shows retries and rate-limit waits as they happen.</summary>
internal sealed class SpectreProgressSink(IAnsiConsole console, ProgressContext context) : IProgressSink
{
    private ProgressTask? _task;
    private int _errored;
    private int _retries;

    public void Phase(string description) => console.MarkupLine($"[grey]{Markup.Escape(description)}...[/]");

    public void Warning(string message) => console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(message)}");

    public void RequestsStarted(int total)
    {
        _task = context.AddTask("calling the model", maxValue: Math.Max(total, 1));
    }

    public void RequestCompleted(ModelResponse response)
    {
        if (response.IsError)
        {
            Interlocked.Increment(ref _errored);
        }

        _task?.Increment(1);
        Describe(null);
    }

    public void RequestsFinished()
    {
        if (_task is not null)
        {
            _task.Value = _task.MaxValue;
            _task.StopTask();
        }
    }

    public void Retrying(string itemId, int attempt, TimeSpan delay, string reason)
    {
        Interlocked.Increment(ref _retries);
        Describe($"retrying {itemId} in {delay.TotalSeconds:0.0} s ({reason})");
    }

    public void Status(string message) => Describe(message);

    private void Describe(string? status)
    {
        if (_task is null)
        {
            return;
        }

        var text = $"calling the model [grey]({_errored} errored, {_retries} retries)[/]";
        _task.Description = status is null ? text : $"{text} [yellow]{Markup.Escape(status)}[/]";
    }
}
