// A progress bar with bytes and files on a terminal; nothing when output is not a terminal.
using Spectre.Console;
using TimeTravel.Store.Snapshots;

namespace TimeTravel.Cli.Output;

public static class ProgressDisplay
{
    public static bool IsTerminal => !Console.IsOutputRedirected && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb";

    public static T Run<T>(SnapshotProgress progress, long expectedBytes, Func<T> work)
    {
        if (!IsTerminal) return work();
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("snapshot", maxValue: Math.Max(1, expectedBytes));
                var worker = Task.Run(work);
                while (!worker.Wait(200))
                {
                    task.Value = Math.Min(task.MaxValue, progress.LogicalBytes);
                    task.Description = $"{progress.Files} files, {Human.Bytes(progress.BytesRead)} read";
                }
                result = worker.GetAwaiter().GetResult();
            });
        return result;
    }
}
