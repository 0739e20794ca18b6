// Who may read a store: its owner only. Every file the store's commands create is 0600 and every directory 0700, so a
// store directory opened up by mistake (`chmod 755`) still lets an ordinary user read nothing, neither the files nor
// through `timetravel cat`; and every command warns about such a directory, `verify` failing on it.
using TimeTravel.Store;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands;

[NeedsRoot]
public sealed class StorePermissionTests : IDisposable
{
    private const string User = "tt-store1";
    private readonly TempDir _dir = new("tt-storeperm");
    private readonly string _store, _src, _secret;

    public StorePermissionTests()
    {
        try
        {
            var (code, _, err) = Shell.Try("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", User);
            if (code != 0 && !err.Contains("already exists")) throw new InvalidOperationException($"useradd {User}: {err}");
            _store = _dir["store"];
            _src = _dir["src"];
            _secret = Path.Combine(_src, "secret.txt");
            Directory.CreateDirectory(_src);
            File.WriteAllText(_secret, "the secret");
            File.SetUnixFileMode(_secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        catch { Dispose(); throw; } // xunit disposes only what it constructed
    }

    public void Dispose() => _dir.Dispose();

    private void Ok(params string[] args)
    {
        var r = TimeTravelCli.Run(_store, args);
        Assert.True(r.ExitCode == 0, $"{string.Join(' ', args)}: {r}");
    }

    // Everything a writer leaves in a store: arenas, index segments and manifest, config, catalog and its log, the
    // change journal, the lock; a rebuild and a forget too.
    private void UseTheStore()
    {
        Ok("init", _src);
        Ok("snapshot");
        File.WriteAllText(Path.Combine(_src, "more.txt"), "more");
        Ok("snapshot");
        Ok("index", "rebuild");
        Ok("forget", "1");
        Ok("snapshot");
    }

    [Fact]
    public void EveryStoreFileIs0600AndEveryDirectory0700()
    {
        UseTheStore();
        var entries = Directory.EnumerateFileSystemEntries(_store, "*", SearchOption.AllDirectories).Append(_store).ToList();
        Assert.Contains(entries, e => e.EndsWith(".arena"));
        Assert.Contains(entries, e => e.EndsWith(".tti"));
        Assert.Contains(entries, e => e.EndsWith("catalog.db"));
        Assert.Contains(entries, e => e.Contains("/journal/"));
        foreach (var e in entries)
        {
            var expected = Directory.Exists(e) ? StoreFiles.DirectoryMode : StoreFiles.FileMode;
            Assert.True(File.GetUnixFileMode(e) == expected, $"{e} has mode {File.GetUnixFileMode(e)}, expected {expected}");
        }
    }

    [Fact]
    public void AStoreDirectoryOpenedByMistakeStillLetsAnotherUserReadNothingAndCommandsSaySo()
    {
        UseTheStore();
        File.SetUnixFileMode(_store, (UnixFileMode)0x1ED); // chmod 755

        var cat = TimeTravelCli.RunAs(User, _store, "cat", "latest", _secret);
        Assert.NotEqual(0, cat.ExitCode);
        Assert.DoesNotContain("the secret", cat.Stdout);
        foreach (var f in Directory.EnumerateFiles(_store, "*", SearchOption.AllDirectories))
        {
            var (code, output, _) = Shell.Try("setpriv", $"--reuid={User}", $"--regid={User}", "--clear-groups", "cat", f);
            Assert.True(code != 0 && output.Length == 0, $"{User} could read {f}");
        }

        var list = TimeTravelCli.Run(_store, "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains($"warning: {_store}: the store directory has mode 0755", list.Stderr);
        Assert.Contains($"chmod 700 {_store}", list.Stderr);
        var snapshot = TimeTravelCli.Run(_store, "snapshot");
        Assert.Equal(0, snapshot.ExitCode); // a backup still runs, loudly
        Assert.Contains("other users may read the backed-up files", snapshot.Stderr);
        var verify = TimeTravelCli.Run(_store, "verify");
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("mode 0755", verify.Stderr);

        File.SetUnixFileMode(_store, StoreFiles.DirectoryMode);
        var quiet = TimeTravelCli.Run(_store, "verify");
        Assert.True(quiet.ExitCode == 0, quiet.ToString());
        Assert.DoesNotContain("warning", quiet.Stderr);
    }

    [Fact]
    public void VerifyNamesAStoreFileOthersMayRead()
    {
        UseTheStore();
        string config = Path.Combine(_store, "config");
        File.SetUnixFileMode(config, (UnixFileMode)0x1A4); // 0644, as stores made before this version have them
        var verify = TimeTravelCli.Run(_store, "verify");
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains($"{config}: mode 0644 lets other users read it", verify.Stderr);
    }

    // Regression: a store made before files were created 0600 kept its 0644 arenas and catalog, and `verify` failed on
    // it for ever after; the next writer makes everything below the root private (the root is the admin's to set).
    [Fact]
    public void TheNextWriterMakesTheFilesOfAnOlderStorePrivate()
    {
        UseTheStore();
        foreach (var f in Directory.EnumerateFiles(_store, "*", SearchOption.AllDirectories)) File.SetUnixFileMode(f, (UnixFileMode)0x1A4);
        foreach (var d in Directory.EnumerateDirectories(_store, "*", SearchOption.AllDirectories)) File.SetUnixFileMode(d, (UnixFileMode)0x1ED);
        Assert.Equal(1, TimeTravelCli.Run(_store, "verify").ExitCode);

        Ok("snapshot");
        foreach (var e in Directory.EnumerateFileSystemEntries(_store, "*", SearchOption.AllDirectories))
            Assert.True((File.GetUnixFileMode(e) & (UnixFileMode)0x3F) == 0, $"{e} has mode {File.GetUnixFileMode(e)}");
        var verify = TimeTravelCli.Run(_store, "verify");
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }
}
