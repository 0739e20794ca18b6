// JSON that scripts can use: times as RFC 3339 in UTC to the second, which jq's fromdateiso8601 reads (the exact time
// beside it in nanoseconds), and a "+" written as itself. Regression: "+" came out as \u002B and times with seven
// fractional digits and an offset, which jq refuses.
using System.Text.Json;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands;

public sealed class JsonTimesTests : IDisposable
{
    private readonly TempDir _dir = new("tt-json");
    private readonly string _store, _src;

    public JsonTimesTests()
    {
        _store = _dir["store"];
        _src = _dir["src"];
        Directory.CreateDirectory(_src);
        File.WriteAllText(Path.Combine(_src, "notes"), "hello\n");
        Assert.Equal(0, TimeTravelCli.Run(_store, "init", _src).ExitCode);
        // Berlin, in the hour repeated when summer time ends: the name carries "+0100".
        var (code, _, err) = Shell.Try("env", ["TZ=Europe/Berlin", .. TimeTravelCli.Command, "--store", _store, "snapshot", "--time", "2024-10-27T01:10:00.1234567Z"]);
        Assert.True(code == 0, err);
    }

    public void Dispose() => _dir.Dispose();

    // jq's answer for a filter on a command's JSON output.
    private string Jq(string json, string filter)
    {
        string file = _dir["out.json"];
        File.WriteAllText(file, json);
        var (code, output, err) = Shell.Try("jq", "-r", filter, file);
        Assert.True(code == 0, $"jq {filter}: {err}");
        return output.TrimEnd('\n');
    }

    [Fact]
    public void ListWritesTimesJqReadsAndAPlainPlus()
    {
        var list = TimeTravelCli.Run(_store, "list", "--json");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.DoesNotContain("\\u002B", list.Stdout);
        Assert.Contains("\"2024-10-27_02h10+0100\"", list.Stdout);
        var s = JsonDocument.Parse(list.Stdout).RootElement[0];
        Assert.Equal("2024-10-27T01:10:00Z", s.GetProperty("time").GetString());
        Assert.Equal(1_729_991_400_123_456_700, s.GetProperty("timeNs").GetInt64());
        Assert.Equal("2024-10-27T02:10:00+01:00", s.GetProperty("localTime").GetString());
        Assert.Equal("1729991400", Jq(list.Stdout, ".[0].time | fromdateiso8601"));
        Assert.Equal("2024-10-27_02h10+0100", Jq(list.Stdout, ".[0].name"));
    }

    [Fact]
    public void HistoryWritesTimesJqReads()
    {
        var history = TimeTravelCli.Run(_store, "history", "--json", Path.Combine(_src, "notes"));
        Assert.True(history.ExitCode == 0, history.ToString());
        Assert.DoesNotContain("\\u002B", history.Stdout);
        Assert.Equal("1729991400", Jq(history.Stdout, ".[0].time | fromdateiso8601"));
        Assert.Equal("2024-10-27_02h10+0100", Jq(history.Stdout, ".[0].snapshot"));
    }
}
