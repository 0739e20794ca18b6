// The config's last line is a checksum of the lines before it: a changed digit is an error naming the file, never a
// store silently read with other chunker or arena sizes. A format 2 config, made before the checksum, is still read.
using TimeTravel.Store;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Store.Config;

public sealed class StoreConfigChecksumTests : IDisposable
{
    private readonly TempDir _dir = new("tt-config");
    private readonly string _store, _config;

    public StoreConfigChecksumTests()
    {
        _store = _dir["store"];
        _config = Path.Combine(_store, "config");
        Repository.Init(_store).Dispose();
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("arena-size ")]
    [InlineData("chunker ")]
    [InlineData("created ")]
    [InlineData("id ")]
    public void AChangedCharacterInAnyLineIsAnErrorNamingTheConfig(string line)
    {
        var lines = File.ReadAllLines(_config);
        int i = Array.FindIndex(lines, l => l.StartsWith(line));
        var chars = lines[i].ToCharArray();
        int at = chars.Length - 1;
        chars[at] = chars[at] == '1' ? '2' : '1';
        lines[i] = new string(chars);
        File.WriteAllLines(_config, lines);

        var e = Assert.Throws<StoreFormatException>(() => Repository.OpenReader(_store).Dispose());
        Assert.Contains(_config, e.Message);
        Assert.Contains("does not match its checksum", e.Message);
        var list = TimeTravelCli.Run(_store, "list");
        Assert.Equal(1, list.ExitCode);
        Assert.Contains($"{_config}: the config does not match its checksum", list.Stderr);
    }

    [Fact]
    public void AConfigWithoutItsChecksumLineIsRefused()
    {
        File.WriteAllLines(_config, File.ReadAllLines(_config).Where(l => !l.StartsWith("checksum ")));
        var e = Assert.Throws<StoreFormatException>(() => Repository.OpenReader(_store).Dispose());
        Assert.Contains("lacks its checksum line", e.Message);
    }

    [Fact]
    public void AFormatTwoConfigWithoutAChecksumIsStillRead()
    {
        var lines = File.ReadAllLines(_config).Where(l => !l.StartsWith("checksum ")).ToArray();
        lines[0] = "timetravel-store 2";
        File.WriteAllLines(_config, lines);
        using var repo = Repository.OpenReader(_store);
        Assert.Equal(2, repo.Config.Version);
    }
}
