// A file on /tmp, a store, and a model change tracker: edits the file through the system calls a real tracker sees
// (pwrite, truncate, fallocate's modes), remembers which bytes may have changed since the last snapshot (exactly, as
// ranges and a minimum size), and snapshots the file both ways: RangeChunker over the previous stream, and FileChunker
// reading it whole, which is the answer the range chunker must give.
using Microsoft.Win32.SafeHandles;
using TimeTravel.Store;
using TimeTravel.Store.Interop;
using TimeTravel.Store.Trees;
using StreamReader = TimeTravel.Store.Trees.StreamReader;

namespace TimeTravel.Tests.Store.Trees;

public sealed class RangeChunkerHarness : IDisposable
{
    private const int PosixFadvDontNeed = 4;

    private readonly TempDir _dir = new("tt-ranges");
    private readonly Repository _repo;
    private readonly List<ByteRange> _changed = [];
    private long _minSize = long.MaxValue;

    public string Path { get; }
    public StreamRef Previous { get; private set; } = StreamRef.Empty;
    public int MaxChunk => _repo.Config.Chunker.MaxSize;

    public RangeChunkerHarness()
    {
        try
        {
            _repo = Repository.Init(_dir["store"]);
            Path = _dir["file"];
            File.WriteAllBytes(Path, []);
        }
        catch { _dir.Dispose(); throw; }
    }

    public void Dispose() { _repo.Dispose(); _dir.Dispose(); }

    public long Size => new FileInfo(Path).Length;

    /// <summary>The changes since the last snapshot, as an exact tracker reports them.</summary>
    public ChangedRanges Exact => new(_changed.ToList(), _minSize);

    /// <summary>The changes rounded out to `granularity` (ranges grown, MinSize lowered), as a region bitmap reports them.</summary>
    public ChangedRanges Rounded(long granularity)
    {
        var ranges = new List<ByteRange>();
        foreach (var r in _changed) Add(ranges, r.Offset / granularity * granularity, (r.End + granularity - 1) / granularity * granularity);
        return new(ranges, _minSize == long.MaxValue ? long.MaxValue : _minSize / granularity * granularity);
    }

    // ---- edits -------------------------------------------------------------------------------------------------

    /// <summary>Fills a new file of `size` bytes with random data in runs, leaving gaps of never-written blocks (holes).</summary>
    public void Fill(long size, Random rng, bool holes = true)
    {
        using (var h = Open()) RandomAccess.SetLength(h, size);
        long pos = 0;
        while (pos < size)
        {
            long run = Math.Min(size - pos, rng.NextInt64(1, 3 << 20));
            var data = new byte[run];
            rng.NextBytes(data);
            using (var h = Open()) RandomAccess.Write(h, data, pos);
            pos += run;
            if (holes) pos += rng.NextInt64(0, 1 << 20);
        }
        Changed(0, size);
    }

    public void Write(long offset, byte[] data)
    {
        using (var h = Open()) RandomAccess.Write(h, data, offset);
        Changed(offset, offset + data.Length);
    }

    /// <summary>Writes back the bytes already there: a tracker sees a write, the content does not change.</summary>
    public void Rewrite(long offset, int length)
    {
        using var h = Open();
        var b = new byte[length];
        int n = RandomAccess.Read(h, b, offset);
        RandomAccess.Write(h, b.AsSpan(0, n), offset);
        Changed(offset, offset + n);
    }

    public void Append(byte[] data) => Write(Size, data);

    /// <summary>Shrinking lowers the minimum size; growing needs no range (past the minimum size is changed by definition).</summary>
    public void Truncate(long size)
    {
        using (var h = Open()) RandomAccess.SetLength(h, size);
        _minSize = Math.Min(_minSize, size);
    }

    /// <summary>Moves the bytes from `offset` on by `data.Length` and writes `data` in the gap, as an editor inserting text does.</summary>
    public void Insert(long offset, byte[] data)
    {
        using var h = Open();
        long size = RandomAccess.GetLength(h);
        var tail = new byte[size - offset];
        RandomAccess.Read(h, tail, offset);
        RandomAccess.Write(h, tail, offset + data.Length);
        RandomAccess.Write(h, data, offset);
        Changed(offset, size + data.Length);
    }

    public void PunchHole(long offset, long length)
    {
        Fallocate("-p", offset, length);
        Changed(offset, Math.Min(offset + length, Size));
    }

    public void ZeroRange(long offset, long length)
    {
        Fallocate("-z", offset, length);
        Changed(offset, offset + length);
    }

    /// <summary>Allocates blocks (unwritten extents, read as zeros): the content is unchanged, so an exact tracker reports nothing.</summary>
    public void Allocate(long offset, long length, bool keepSize)
    {
        if (keepSize) Fallocate("-n", offset, length); else Fallocate(null, offset, length);
    }

    /// <summary>fallocate INSERT_RANGE: a hole of `length` at `offset`, everything after moves up (block-aligned).</summary>
    public void InsertRange(long offset, long length)
    {
        long size = Size;
        Fallocate("-i", offset, length);
        Changed(offset, size + length);
    }

    /// <summary>fallocate COLLAPSE_RANGE: removes [offset, offset+length), everything after moves down (block-aligned).</summary>
    public void CollapseRange(long offset, long length)
    {
        long size = Size;
        Fallocate("-c", offset, length);
        Changed(offset, size);
        _minSize = Math.Min(_minSize, size - length);
    }

    private void Fallocate(string? mode, long offset, long length)
    {
        var args = new List<string>();
        if (mode is not null) args.Add(mode);
        args.AddRange(["-o", offset.ToString(), "-l", length.ToString(), Path]);
        Shell.Run("fallocate", args.ToArray());
    }

    private void Changed(long offset, long end)
    {
        if (end > offset) Add(_changed, offset, end);
    }

    // Adds [offset, end) to sorted disjoint ranges, merging what it touches.
    private static void Add(List<ByteRange> ranges, long offset, long end)
    {
        int i = 0;
        while (i < ranges.Count && ranges[i].End < offset) i++;
        while (i < ranges.Count && ranges[i].Offset <= end)
        {
            offset = Math.Min(offset, ranges[i].Offset);
            end = Math.Max(end, ranges[i].End);
            ranges.RemoveAt(i);
        }
        ranges.Insert(i, new ByteRange(offset, end - offset));
    }

    private SafeFileHandle Open() => File.OpenHandle(Path, FileMode.Open, FileAccess.ReadWrite);

    // ---- snapshots ---------------------------------------------------------------------------------------------

    /// <summary>The whole-file stream, which becomes the previous stream; the tracker starts afresh.</summary>
    public StreamRef Snapshot()
    {
        Previous = Whole();
        _changed.Clear();
        _minSize = long.MaxValue;
        return Previous;
    }

    /// <summary>FileChunker over the whole file: the reference.</summary>
    public StreamRef Whole(bool dropCache = true)
    {
        using var h = OpenRead(dropCache);
        return new FileChunker(_repo.Blocks, _repo.Config.Chunker).Write(h, RandomAccess.GetLength(h), PathBytesOf()).Stream;
    }

    /// <summary>RangeChunker over the previous stream with the given changes.</summary>
    public (StreamRef Stream, long BytesRead) Ranged(ChangedRanges changes, bool dropCache = true)
    {
        using var h = OpenRead(dropCache);
        var chunker = new RangeChunker(_repo.Blocks, new StreamReader(_repo.Blocks), _repo.Config.Chunker);
        return chunker.Write(h, RandomAccess.GetLength(h), Previous, changes, PathBytesOf());
    }

    // Both chunkers must see the same data extents. ext4 reports an unwritten (fallocated) extent as data once its zeroed
    // pages are in the page cache, and reading the data before it pulls them in by readahead; so each snapshot starts
    // from an empty page cache for the file (unless the test wants those zeros seen as data: then it reads the whole
    // file first, and the extents cannot change while it is read again).
    private SafeFileHandle OpenRead(bool dropCache)
    {
        var h = File.OpenHandle(Path, FileMode.Open, FileAccess.ReadWrite);
        int fd = (int)h.DangerousGetHandle();
        if (Libc.fsync(fd) != 0) throw new IOException($"fsync {Path} failed");
        if (dropCache) Libc.posix_fadvise(fd, 0, 0, PosixFadvDontNeed);
        return h;
    }

    /// <summary>Reads the whole file into the page cache, so ext4 reports its unwritten extents as data.</summary>
    public void Cache() => File.ReadAllBytes(Path);

    private byte[] PathBytesOf() => TimeTravel.Store.Posix.PathBytes.From(Path);
}
