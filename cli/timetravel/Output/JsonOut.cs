// JSON output without reflection (so it also works ahead-of-time compiled). Written for scripts and jq, not for a web
// page: characters such as "+" in a snapshot name stay themselves (the default encoder writes \u002B); quotes,
// backslashes and control characters are still escaped.
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TimeTravel.Cli.Output;

public static class JsonOut
{
    public static void Write(Action<Utf8JsonWriter> body)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var w = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            body(w);
        stdout.Write("\n"u8);
    }

    /// <summary>
    /// A time as three fields: `name` in UTC to the second (2026-12-02T17:57:19Z, RFC 3339 in the one form jq's
    /// fromdateiso8601 reads), `nameNs` exact (Unix nanoseconds), and localTime with its UTC offset (for `time` only).
    /// </summary>
    public static void Time(Utf8JsonWriter w, string name, DateTimeOffset t)
    {
        w.WriteString(name, t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        w.WriteNumber(name + "Ns", (t.UtcTicks - DateTime.UnixEpoch.Ticks) * 100);
        w.WriteString("local" + char.ToUpperInvariant(name[0]) + name[1..], t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture));
    }
}
