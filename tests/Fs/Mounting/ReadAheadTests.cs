// The kernel reads ahead at most the mount's bdi read_ahead_kb (128 KiB unless raised), whatever init asks for, so
// the mount raises it: sequential reads then arrive as 1 MiB requests instead of 128 KiB ones.
using TimeTravel.Fs.Fuse;
using TimeTravel.Fs.Mounting;
using TimeTravel.Tests.Fs.Mounting.Support;
using Xunit;

namespace TimeTravel.Tests.Fs.Mounting;

[NeedsFuse]
public sealed class ReadAheadTests(SmallStoreFixture f) : IClassFixture<SmallStoreFixture>
{
    // Regression: init asked for 1 MiB of read-ahead, but the bdi stayed at 128 KiB, and so did every read request.
    [Fact]
    public void Mounting_raises_the_read_ahead_of_the_mounts_bdi_to_1_MiB()
    {
        using var m = new InProcessMount(f.Store);
        // FUSE names the bdi after the mount's device number, as stat shows it (major:minor).
        var dev = TestMount.Run("stat", "-c", "%Hd:%Ld", m.Path);
        Assert.True(dev.ExitCode == 0, dev.Stderr);
        string bdi = $"/sys/class/bdi/{dev.Text.Trim()}/read_ahead_kb";
        Assert.Equal(bdi, ReadAhead.SettingFile(m.Path));
        Assert.Equal($"{SnapshotMount.ReadAheadKilobytes}", File.ReadAllText(bdi).Trim());
        Assert.Equal(1024, SnapshotMount.ReadAheadKilobytes);
    }
}
