// Progress for long work, drawn on standard error when (and only when) standard error is a terminal: one line,
// redrawn four times a second, with bytes, items and a rate; a bar and a percentage only when the total is known
// (a first snapshot has no previous snapshot to measure against, so it shows counters). Messages written to
// standard error meanwhile clear the line first, so they never mix with the bar. Hand-drawn rather than
// Spectre.Console's live display, which draws on standard output and only after its first refresh tick.
using System.Diagnostics;
using System.Text;
using TimeTravel.Store.Maintenance;
using TimeTravel.Store.Snapshots;

namespace TimeTravel.Cli.Output;

/// <summary>What the display shows: a count of bytes and of items, their totals (-1 unknown), and an optional note.</summary>
public readonly record struct ProgressSample(string Label, long Bytes, long Items, string ItemName, long TotalBytes = -1, long TotalItems = -1, string? Note = null);

public static class ProgressDisplay
{
    /// <summary>True when standard error, where the bar is drawn, is a terminal that can take it.</summary>
    public static bool IsTerminal =>
        !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") is { Length: > 0 } term && term != "dumb";

    /// <summary>A snapshot: logical bytes against the previous snapshot's (unknown for a first snapshot), files, bytes read.</summary>
    public static T Run<T>(SnapshotProgress progress, long expectedBytes, Func<T> work) =>
        Run(() => new ProgressSample("snapshot", progress.LogicalBytes, progress.Files, "files",
            TotalBytes: expectedBytes > 0 ? expectedBytes : -1, Note: $"{Human.Bytes(progress.BytesRead)} read"), work);

    /// <summary>A maintenance job (verify, index rebuild) in its current phase.</summary>
    public static T Run<T>(string label, WorkProgress progress, Func<T> work) =>
        Run(() => progress.Phase is { Length: > 0 } phase
            ? new ProgressSample($"{label}: {phase}", progress.Bytes, progress.Items, phase, progress.TotalBytes, progress.TotalItems)
            : new ProgressSample(label, 0, 0, ""), work);

    public static T Run<T>(Func<ProgressSample> sample, Func<T> work)
    {
        if (!IsTerminal) return work();
        var original = Console.Error;
        var line = new Line(original, sample);
        Console.SetError(line.Writer);
        try { return work(); }
        finally
        {
            Console.SetError(original);
            line.Stop();
        }
    }

    /// <summary>Formats one line of progress (pure, for tests): bar and percentage only with a known total.</summary>
    public static string Format(in ProgressSample s, TimeSpan elapsed, int width)
    {
        double seconds = Math.Max(elapsed.TotalSeconds, 0.001);
        var text = new StringBuilder(s.Label);
        double? fraction = s.TotalBytes > 0 ? (double)s.Bytes / s.TotalBytes : s.TotalItems > 0 ? (double)s.Items / s.TotalItems : null;
        string counts = s.TotalBytes > 0 ? $"{Human.Bytes(s.Bytes)} of {Human.Bytes(s.TotalBytes)}" : Human.Bytes(s.Bytes);
        string items = s.ItemName.Length == 0 ? "" : s.TotalItems > 0 && s.TotalBytes <= 0 ? $"  {s.Items:N0} of {s.TotalItems:N0} {s.ItemName}" : $"  {s.Items:N0} {s.ItemName}";
        string rest = $"  {counts}{items}  {Human.Bytes((long)(s.Bytes / seconds))}/s" + (s.Note is { } n ? $"  {n}" : "") + $"  {elapsed:m\\:ss}";
        if (fraction is { } f)
        {
            f = Math.Clamp(f, 0, 1);
            int barWidth = Math.Clamp(width - text.Length - rest.Length - 9, 10, 40);
            int filled = (int)(f * barWidth);
            text.Append(" [").Append('#', filled).Append('-', barWidth - filled).Append($"] {f * 100,3:0}%");
        }
        text.Append(rest);
        return text.Length < width ? text.ToString() : text.ToString(0, Math.Max(0, width - 1));
    }

    private sealed class Line
    {
        private readonly TextWriter _out;
        private readonly Func<ProgressSample> _sample;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Timer _timer;
        private readonly object _lock = new();
        private bool _stopped, _drawn;

        public TextWriter Writer { get; }

        public Line(TextWriter output, Func<ProgressSample> sample)
        {
            _out = output;
            _sample = sample;
            Writer = new ClearingWriter(this);
            Draw();
            _timer = new Timer(_ => Draw(), null, 250, 250);
        }

        private static int Width()
        {
            try { return Console.WindowWidth is > 20 and var w ? w : 80; }
            catch (IOException) { return 80; }
        }

        public void Draw()
        {
            lock (_lock)
            {
                if (_stopped) return;
                _out.Write("\r" + Format(_sample(), _clock.Elapsed, Width()) + "\x1b[K");
                _out.Flush();
                _drawn = true;
            }
        }

        public void Message(string text)
        {
            lock (_lock)
            {
                if (_drawn) _out.Write("\r\x1b[K");
                _out.Write(text);
                _out.Flush();
                _drawn = false;
            }
            if (text.EndsWith('\n')) Draw();
        }

        public void Stop()
        {
            _timer.Dispose();
            lock (_lock)
            {
                if (_drawn) _out.Write("\r\x1b[K");
                _out.Flush();
                _stopped = true;
            }
        }
    }

    // Standard error while the bar is up: whole lines go out with the bar cleared before and redrawn after.
    private sealed class ClearingWriter(Line line) : TextWriter
    {
        private readonly StringBuilder _pending = new();
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            string? complete = null;
            lock (_pending)
            {
                _pending.Append(value);
                if (value == '\n') { complete = _pending.ToString(); _pending.Clear(); }
            }
            if (complete != null) line.Message(complete);
        }

        public override void Write(string? value)
        {
            if (value is null) return;
            foreach (char c in value) Write(c);
        }

        public override void WriteLine(string? value) => Write((value ?? "") + "\n");
    }
}
