// The paths `yesterday` and `timetravel history` share: what a typed path means (relative, inside the mount,
// through a symlinked directory), and snapshot directory names in the mount (names themselves: SnapshotNamesTests).
using TimeTravel.Store.History;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Store.History;

public class SnapshotPathsTests
{
    private static SnapshotStamp Snap(long id, string time) => SnapshotStamp.FromName(DateTimeOffset.Parse(time).ToString("yyyy-MM-dd_HHmm"), TimeZoneInfo.Utc)! with { Id = id };

    [Fact]
    public void PathsInsideTheMountMeanThePathBelowTheSnapshot()
    {
        Assert.Equal("/etc/fstab", SnapshotPaths.SourcePath("/backup/.snapshot/2026-08-12/etc/fstab", "/", "/backup/.snapshot"));
        Assert.Equal("/etc/fstab", SnapshotPaths.SourcePath("/x/mnt/latest/etc/fstab", "/", "/x/mnt"));
        Assert.Equal("/etc/fstab", SnapshotPaths.SourcePath("fstab", "/x/mnt/2026-08-12_0900/etc", "/x/mnt/"));
        Assert.Equal("/etc/fstab", SnapshotPaths.SourcePath("fstab", "/etc", "/backup/.snapshot"));
        Assert.Equal("/etc", SnapshotPaths.SourcePath("../etc/", "/var", "/backup/.snapshot"));
        Assert.Equal("/", SnapshotPaths.SourcePath("/backup/.snapshot/latest", "/", "/backup/.snapshot"));
    }

    [Fact]
    public void TheMountDirectoryIsTheDayWhenTheSnapshotIsThatDaysLast()
    {
        SnapshotStamp[] snaps = [Snap(1, "2026-08-12T09:00:00+00:00"), Snap(2, "2026-08-12T21:00:00+00:00")];
        Assert.Equal("2026-08-12", SnapshotPaths.DirectoryName(snaps[1], snaps));
        Assert.Equal("2026-08-12_0900", SnapshotPaths.DirectoryName(snaps[0], snaps));
        Assert.Equal("/x/mnt/2026-08-12_0900/etc/fstab", SnapshotPaths.InMount("/x/mnt/", "2026-08-12_0900", "/etc/fstab"));
    }

    [Fact]
    public void APathThroughASymlinkedDirectoryIsResolvedOnlyWhenTheLiteralOneIsOutsideEverySource()
    {
        using var dir = new TempDir("tt-paths");
        Directory.CreateDirectory(dir["usr/lib"]);
        File.WriteAllText(dir["usr/lib/libc.so.6"], "");
        File.CreateSymbolicLink(dir["lib"], "usr/lib");
        string typed = dir["lib/libc.so.6"];
        Func<string, bool> Under(string source) => p => SnapshotPaths.IsUnder(p, source);
        Assert.Equal(dir["usr/lib/libc.so.6"], SnapshotPaths.SourcePath(typed, "/", "/backup/.snapshot", Under(dir["usr"]), out bool covered));
        Assert.True(covered);
        Assert.Equal(typed, SnapshotPaths.SourcePath(typed, "/", "/backup/.snapshot", Under(dir.Path), out covered));
        Assert.True(covered);
        Assert.Equal(typed, SnapshotPaths.SourcePath(typed, "/", "/backup/.snapshot", Under(dir["elsewhere"]), out covered));
        Assert.False(covered);
        Assert.Equal(dir["usr/lib/libc.so.6"], SnapshotPaths.WithRealDirectory(typed));
        Assert.Null(SnapshotPaths.WithRealDirectory(dir["usr/lib/libc.so.6"]));
        File.CreateSymbolicLink(dir["loop"], "loop");
        Assert.Null(SnapshotPaths.RealPath(dir["loop/x"]));
    }
}
