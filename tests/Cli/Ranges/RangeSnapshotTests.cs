// Issue 12 end to end: the real `timetravel track` with its eBPF range tracker on a loop-mounted ext4, and snapshots
// that read changed files by their ranges. Every ranged snapshot is checked against a `--full` walk, which reads
// each changed file whole: the recorded trees (content scores included) must be equal.
using System.Text.Json;
using TimeTravel.Tests.Cli.IncrementalSnapshots;
using Xunit;
using Xunit.Abstractions;

namespace TimeTravel.Tests.Cli.Ranges;

[Collection("IncrementalSnapshot tracker")]
[NeedsRoot]
[NeedsFanotify]
[NeedsBpf]
public sealed class RangeSnapshotTests(ITestOutputHelper output)
{
    private const int MiB = 1 << 20;

    /// <summary>What `snapshot --json` says, with how the files were read.</summary>
    private sealed record Taken(IncrSnapshotInfo Info, long RangeFiles, long RangeFileBytes, long RangeBytesRead, long WholeFiles, long ReusedFiles)
    {
        public override string ToString() =>
            $"{Info}; ranges {RangeFiles} files, {RangeBytesRead} of {RangeFileBytes} bytes; whole {WholeFiles}; reused {ReusedFiles}";
    }

    private static Taken Snapshot(IncrementalSnapshotSandbox box, params string[] args)
    {
        var r = box.Cli(["snapshot", "--json", .. args]);
        if (r.ExitCode != 0) throw new InvalidOperationException("snapshot failed: " + r);
        using var doc = JsonDocument.Parse(r.StdoutBytes);
        var e = doc.RootElement;
        var reads = e.GetProperty("reads");
        return new Taken(IncrSnapshotInfo.Parse(e), reads.GetProperty("rangeFiles").GetInt64(), reads.GetProperty("rangeFileBytes").GetInt64(),
            reads.GetProperty("rangeBytesRead").GetInt64(), reads.GetProperty("wholeFiles").GetInt64(), reads.GetProperty("reusedFiles").GetInt64());
    }

    // A sandbox with a running tracker whose range record is continuous: the first snapshot walks, the second is
    // the first the journal vouches for, the third the first the range tracker vouches for.
    private static IncrementalSnapshotSandbox Ready(Action<string> prepare, out TrackerProcess tracker)
    {
        var box = new IncrementalSnapshotSandbox();
        try
        {
            prepare(box.Source);
            box.Init();
            tracker = box.StartTracker();
            if (!tracker.Log.Contains("changed-range tracking on")) throw new Xunit.Sdk.XunitException("no range tracking: " + tracker.Log);
            Snapshot(box);
            Snapshot(box);
            Snapshot(box);
            return box;
        }
        catch
        {
            box.Dispose();
            throw;
        }
    }

    private static byte[] Random(Random rng, int n) { var b = new byte[n]; rng.NextBytes(b); return b; }

    private static void SparseFile(string path, Random rng, long size)
    {
        using (var h = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write)) RandomAccess.SetLength(h, size);
        // Data in most of it, with holes between: extents matter to the chunking.
        for (long at = 0; at < size; at += 8 * MiB)
            if (rng.Next(5) != 0) FileOps.Write(path, at, Random(rng, (int)Math.Min(6 * MiB, size - at)));
    }

    [Fact]
    public void RangedSnapshotsRecordWhatWholeReadsRecordUnderRandomWritesOfEveryKind()
    {
        var rng = new Random(12);
        string[] files = [];
        using var box = Ready(src =>
        {
            files = Enumerable.Range(0, 4).Select(i => Path.Combine(src, $"big{i}.img")).ToArray();
            foreach (var f in files) SparseFile(f, rng, (40 + rng.Next(24)) * (long)MiB);
        }, out var tracker);
        string donor = Path.Combine(box.Source, "donor.bin");
        File.WriteAllBytes(donor, Random(rng, 4 * MiB));
        Snapshot(box);

        for (int round = 1; round <= 6; round++)
        {
            var seed = new Random(round * 101);
            long touched = 0;
            int ops = 6 + seed.Next(10);
            var log = new List<string>();
            for (int i = 0; i < ops; i++)
            {
                string f = files[seed.Next(files.Length)];
                long size = new FileInfo(f).Length;
                long at = size == 0 ? 0 : seed.NextInt64(size);
                int len = 1 + seed.Next(64 * 1024);
                switch (seed.Next(10))
                {
                    case 0: FileOps.Write(f, at, Random(seed, len)); log.Add($"pwrite {f} {at}+{len}"); break;
                    case 1: FileOps.Append(f, Random(seed, len)); log.Add($"append {f} {len}"); break;
                    case 2:
                        at &= ~4095L; len = 4096 * (1 + seed.Next(16));
                        FileOps.WriteDirect(f, at, Random(seed, len)); log.Add($"O_DIRECT {f} {at}+{len}"); break;
                    case 3:
                        if (at + len > size) at = Math.Max(0, size - len);
                        if (size < len) goto case 0;
                        FileOps.StoreMapped(f, at, Random(seed, len)); log.Add($"mmap {f} {at}+{len}"); break;
                    case 4: FileOps.Truncate(f, at); len = 0; log.Add($"truncate {f} {at}"); break;
                    case 5: long grown = size + seed.Next(8 * MiB); FileOps.Truncate(f, grown); len = 0; log.Add($"grow {f} {grown}"); break;
                    case 6: FileOps.Allocate(f, 0, at, len); log.Add($"fallocate {f} {at}+{len}"); break;
                    case 7: FileOps.Allocate(f, FileOps.FALLOC_FL_PUNCH_HOLE | FileOps.FALLOC_FL_KEEP_SIZE, at, len); log.Add($"punch {f} {at}+{len}"); break;
                    case 8: FileOps.Allocate(f, FileOps.FALLOC_FL_ZERO_RANGE, at, len); log.Add($"zero {f} {at}+{len}"); break;
                    default:
                        len = Math.Min(len, 4 * MiB);
                        FileOps.CopyRange(donor, seed.Next(2 * MiB), f, at, len); log.Add($"copy_file_range {f} {at}+{len}"); break;
                }
                touched += len;
            }
            var s = Snapshot(box);
            output.WriteLine($"round {round}: {string.Join("; ", log)}\n  {s}");
            Assert.Equal("journal", s.Info.Method);
            Assert.Contains("changed files read by ranges", s.Info.Reason);
            Assert.Equal(0, s.WholeFiles);
            // About a chunk around each change (a 2 MiB folio for a store through a mapping), never the whole files.
            long bound = touched + ops * (2L * MiB + 512 * 1024);
            Assert.True(s.RangeBytesRead <= bound, $"read {s.RangeBytesRead} bytes for {ops} changes of {touched} bytes (bound {bound}): {s}");
            Assert.True(s.RangeBytesRead < s.RangeFileBytes / 2, s.ToString());
            box.AssertSameAsFullWalk(s.Info);
        }
        tracker.Stop();
    }

    [Fact]
    public void StoresThroughASharedMappingAreSeenWhileTheFileStaysMapped()
    {
        string path = "";
        using var box = Ready(src => { path = Path.Combine(src, "db"); File.WriteAllBytes(path, Random(new Random(1), 16 * MiB)); }, out _);
        using var map = System.IO.MemoryMappedFiles.MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0,
            System.IO.MemoryMappedFiles.MemoryMappedFileAccess.ReadWrite);
        using var view = map.CreateViewAccessor();
        // No msync, no close, no write(2): fanotify sees nothing, the page only turns dirty.
        view.Write(5 * MiB + 123, 0x1122334455667788L);
        var first = Snapshot(box);
        output.WriteLine(first.ToString());
        Assert.Equal(1, first.RangeFiles);
        box.AssertSameAsFullWalk(first.Info);
        // The page was written back by the snapshot, so this store to it faults again and is seen again.
        view.Write(5 * MiB + 123, 0x0102030405060708L);
        var second = Snapshot(box);
        output.WriteLine(second.ToString());
        Assert.Equal(1, second.RangeFiles);
        box.AssertSameAsFullWalk(second.Info);
    }

    [Fact]
    public void FilesChangedWhileTheTrackerWasStoppedAreReadWhole()
    {
        string path = "";
        using var box = Ready(src => { path = Path.Combine(src, "big"); File.WriteAllBytes(path, Random(new Random(2), 8 * MiB)); }, out var tracker);
        tracker.Stop();
        FileOps.Write(path, 3 * MiB, Random(new Random(3), 100));
        var restarted = box.StartTracker();
        // The interval with the stop in it: nothing vouches for it, the changed file is read whole.
        var afterGap = Snapshot(box);
        output.WriteLine(afterGap.ToString());
        Assert.Equal(0, afterGap.RangeFiles);
        Assert.Equal(1, afterGap.WholeFiles);
        box.AssertSameAsFullWalk(afterGap.Info);
        FileOps.Write(path, 6 * MiB, Random(new Random(5), 100));
        var vouched = Snapshot(box);
        output.WriteLine(vouched.ToString());
        Assert.Equal(1, vouched.RangeFiles);
        box.AssertSameAsFullWalk(vouched.Info);
        restarted.Stop();
    }

    [Fact]
    public void AFileRecreatedOnAReusedInodeNumberIsReadWhole()
    {
        string path = "";
        using var box = Ready(src => { path = Path.Combine(src, "f"); File.WriteAllBytes(path, Random(new Random(6), 4 * MiB)); }, out _);
        ulong inode = TimeTravel.Store.Posix.PosixFs.LStat(TimeTravel.Store.Posix.PathBytes.From(path)).Inode;
        File.Delete(path);
        File.WriteAllBytes(path, Random(new Random(7), 4 * MiB));
        output.WriteLine($"inode {inode} -> {TimeTravel.Store.Posix.PosixFs.LStat(TimeTravel.Store.Posix.PathBytes.From(path)).Inode}");
        var s = Snapshot(box);
        output.WriteLine(s.ToString());
        Assert.Equal(0, s.RangeFiles);
        box.AssertSameAsFullWalk(s.Info);
    }

    [Fact]
    public void WhereTheBpfProgramCannotLoadTheTrackerRunsFileLevelAndSaysWhyOnce()
    {
        using var box = new IncrementalSnapshotSandbox();
        string path = Path.Combine(box.Source, "f");
        File.WriteAllBytes(path, Random(new Random(8), 4 * MiB));
        box.Init();
        string corrupt = Path.Combine(box.Base, "corrupt.bpf.o");
        File.WriteAllBytes(corrupt, Random(new Random(9), 4096));
        var tracker = box.StartTracker(new Dictionary<string, string> { ["TIMETRAVEL_BPF_OBJECT"] = corrupt });
        output.WriteLine(tracker.Log);
        Assert.Equal(1, tracker.CountInLog("changed-range tracking off"));
        Snapshot(box);
        Snapshot(box);
        FileOps.Write(path, MiB, Random(new Random(10), 100));
        var s = Snapshot(box);
        output.WriteLine(s.ToString());
        Assert.Equal("journal", s.Info.Method);
        Assert.Contains("changed files read whole: no range tracker", s.Info.Reason);
        Assert.Equal(1, s.WholeFiles);
        box.AssertSameAsFullWalk(s.Info);
        Assert.Equal(1, tracker.CountInLog("changed-range tracking off"));
    }

    // On ext4 fanotify journals the close after a write, not the write: a closed file whose name the kernel no longer
    // caches is read by its journaled path and its ranges, without a walk.
    [Fact]
    public void AClosedFileWhoseNameLeftTheCacheIsReadByRangesWithoutAWalk()
    {
        string path = "";
        using var box = Ready(src => { path = Path.Combine(src, "big"); File.WriteAllBytes(path, Random(new Random(11), 8 * MiB)); }, out _);
        FileOps.Write(path, 2 * MiB, Random(new Random(12), 4096));
        FileOps.DropDentries();
        var s = Snapshot(box);
        output.WriteLine(s.ToString());
        Assert.Equal("journal", s.Info.Method);
        Assert.DoesNotContain("walked", s.Info.Reason);
        Assert.Equal(1, s.RangeFiles);
        box.AssertSameAsFullWalk(s.Info);
    }

    // A file written through a descriptor with no name (opened by handle, as knfsd does) and still open: nothing
    // journals it and nothing names it, so its source is walked.
    [Fact]
    public void AFileStillOpenForWritingWithNoNameMakesItsSourceWalk()
    {
        string path = "";
        using var box = Ready(src => { path = Path.Combine(src, "exported"); File.WriteAllBytes(path, Random(new Random(13), 4 * MiB)); }, out _);
        using (var h = FileOps.OpenWriteByHandle(path, box.Base))
        {
            RandomAccess.Write(h, Random(new Random(14), 4096), MiB);
            var s = Snapshot(box);
            output.WriteLine(s.ToString());
            Assert.Contains("walked: ", s.Info.Reason);
            Assert.Contains("has no name that can be found", s.Info.Reason);
            Assert.Equal(1, s.WholeFiles);
            box.AssertSameAsFullWalk(s.Info);
        }
    }
}
