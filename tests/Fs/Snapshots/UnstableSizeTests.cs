// The mount reports a regular file's size as the bytes it serves. Regression: snapshots taken before unstable files
// were recorded with the size of their content hold a file that grew while it was read with a size larger than its
// stored content; stat said one size and read(2) ended early.
using TimeTravel.Fs.Fuse;
using TimeTravel.Fs.Snapshots;
using TimeTravel.Store;
using TimeTravel.Store.Trees;
using TimeTravel.Tests.Store.History;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Fs.Snapshots;

public sealed class UnstableSizeTests : IDisposable
{
    private static readonly Caller AsRoot = Caller.With(Credentials.Root);

    private readonly TempDir _dir = new("tt-unstable-size");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void AFileRecordedLargerThanItsContentIsReportedWithTheSizeOfItsContent()
    {
        var time = new DateTimeOffset(2024, 9, 3, 9, 0, 0, TimeSpan.Zero);
        using (var repo = Repository.Init(_dir["store"]))
        {
            var t = new StoreTrees(repo);
            var grown = t.File("grown.log", "what was read");
            grown.Size += 1000;   // as recorded by the old writer: the size after the read
            grown.Flags = NodeFlags.Unstable;
            t.Snapshot(t.Root(grown), time);
        }
        using var reader = Repository.OpenReader(_dir["store"]);
        var fs = new SnapshotFileSystem(reader);
        Assert.Equal(0, fs.Lookup(TimeTravel.Fs.Snapshots.InodeNumbers.Root, System.Text.Encoding.UTF8.GetBytes(time.ToString("yyyy-MM-dd_HHmmss")), AsRoot, out var snapshot));
        Assert.Equal(0, fs.Lookup(snapshot.Attributes.Ino, "grown.log"u8, AsRoot, out var file));
        Assert.Equal("what was read".Length, file.Attributes.Size);

        var buffer = new byte[4096];
        Assert.Equal(0, fs.Read(file.Attributes.Ino, 0, 0, buffer, out int read));
        Assert.Equal(file.Attributes.Size, read);
    }
}
