using QuantEdge.Compiler.Evaluation;
using Spectre.Console;

namespace QuantEdge.Cli;

/// <summary>A progress bar for long work when a person watches the terminal; nothing otherwise.</summary>
public static class ProgressDisplay
{
    public static T Run<T>(CliContext context, string description, Func<IProgress<ProgressReport>?, T> work)
    {
        if (!context.Interactive)
        {
            return work(null);
        }

        return AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(progress =>
            {
                ProgressTask task = progress.AddTask(description);
                return work(new Reporter(task, description));
            });
    }

    /// <summary>Reports synchronously on the worker's thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class Reporter(ProgressTask task, string description) : IProgress<ProgressReport>
    {
        public void Report(ProgressReport value)
        {
            task.Description = $"{description}: {value.Stage}";
            task.MaxValue = Math.Max(1, value.Total);
            task.Value = value.Done;
        }
    }
}
