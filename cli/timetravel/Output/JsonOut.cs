// JSON output without reflection (so it also works ahead-of-time compiled).
using System.Text.Json;

namespace TimeTravel.Cli.Output;

public static class JsonOut
{
    public static void Write(Action<Utf8JsonWriter> body)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var w = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true }))
            body(w);
        stdout.Write("\n"u8);
    }
}
