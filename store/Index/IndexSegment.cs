// An immutable, sorted index segment on disk. A lookup is a binary search over an in-memory fence (the first
// score of each 4 KiB page) and one page read; the Bloom filter answers "new?" without touching the disk.
using System.Buffers.Binary;
using System.IO.Hashing;
using Microsoft.Win32.SafeHandles;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Scores;

namespace TimeTravel.Store.Index;

public sealed class IndexSegment : IDisposable
{
    public const int PageEntries = 85; // 85 × 48 = 4080 bytes: one page read per lookup

    private readonly SafeFileHandle _handle;
    private readonly ulong[] _fence;
    private BloomFilter? _bloom;
    private readonly long _bloomOffset, _bloomBytes;
    private readonly int _bloomHashes;

    public string Path { get; }
    public long Count { get; }

    private IndexSegment(string path, SafeFileHandle handle, long count, ulong[] fence, long bloomOffset, long bloomBytes, int hashes)
    {
        Path = path; _handle = handle; Count = count; _fence = fence;
        _bloomOffset = bloomOffset; _bloomBytes = bloomBytes; _bloomHashes = hashes;
    }

    public static IndexSegment Open(string path)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            var h = new byte[IndexFormat.HeaderSize];
            if (RandomAccess.Read(handle, h, 0) != h.Length || !h.AsSpan(0, 8).SequenceEqual(IndexFormat.Magic))
                throw new StoreFormatException(path, "not an index segment (bad magic); run `timetravel index rebuild`");
            uint version = BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(IndexFormat.H_VERSION));
            if (version > IndexFormat.Version)
                throw new StoreFormatException(path, $"index format version {version} is newer than this timetravel reads ({IndexFormat.Version})");
            if (Crc32.HashToUInt32(h.AsSpan(0, IndexFormat.H_CHECKSUM)) != BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(IndexFormat.H_CHECKSUM)))
                throw new StoreFormatException(path, "index segment header checksum mismatch; run `timetravel index rebuild`");
            long count = (long)BinaryPrimitives.ReadUInt64LittleEndian(h.AsSpan(IndexFormat.H_COUNT));
            long bloomBytes = (long)BinaryPrimitives.ReadUInt64LittleEndian(h.AsSpan(IndexFormat.H_BLOOM_BYTES));
            int hashes = (int)BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(IndexFormat.H_BLOOM_HASHES));
            long pages = (count + PageEntries - 1) / PageEntries;
            long fenceOffset = IndexFormat.HeaderSize + count * IndexFormat.EntrySize;
            if (RandomAccess.GetLength(handle) != fenceOffset + pages * 8 + bloomBytes)
                throw new StoreFormatException(path, "index segment has the wrong length (truncated?); run `timetravel index rebuild`");
            var fenceBytes = new byte[pages * 8];
            RandomAccess.Read(handle, fenceBytes, fenceOffset);
            var fence = new ulong[pages];
            for (long i = 0; i < pages; i++) fence[i] = BinaryPrimitives.ReadUInt64LittleEndian(fenceBytes.AsSpan((int)(i * 8)));
            return new IndexSegment(path, handle, count, fence, fenceOffset + pages * 8, bloomBytes, hashes);
        }
        catch { handle.Dispose(); throw; }
    }

    /// <summary>False only when the score is certainly absent. Loads the Bloom filter on first use.</summary>
    public bool MayContain(in Score score)
    {
        if (_bloomBytes == 0) return true;
        if (_bloom is null)
        {
            var bits = new byte[_bloomBytes];
            RandomAccess.Read(_handle, bits, _bloomOffset);
            _bloom = new BloomFilter(bits, _bloomHashes);
        }
        return _bloom.MayContain(score);
    }

    public bool TryGet(in Score score, out IndexEntry entry) => TryGet(score, out entry, out _);

    /// <summary>Also gives the entry's position in the segment (0 to Count - 1): garbage collection keeps its mark
    /// bits in arrays indexed by it, a few bits per block instead of a set of scores.</summary>
    public bool TryGet(in Score score, out IndexEntry entry, out long position)
    {
        entry = default;
        position = -1;
        if (Count == 0) return false;
        // Last page whose first prefix <= the score's prefix; equal prefixes may straddle pages, so also try the one before.
        int page = UpperBound(_fence, score.Prefix) - 1;
        if (page < 0) return false;
        if (SearchPage(page, score, out entry, out position)) return true;
        return page > 0 && _fence[page] == score.Prefix && SearchPage(page - 1, score, out entry, out position);
    }

    private bool SearchPage(int page, in Score score, out IndexEntry entry, out long position)
    {
        entry = default;
        position = -1;
        long first = (long)page * PageEntries;
        int n = (int)Math.Min(PageEntries, Count - first);
        Span<byte> buf = stackalloc byte[PageEntries * IndexFormat.EntrySize];
        buf = buf[..(n * IndexFormat.EntrySize)];
        RandomAccess.Read(_handle, buf, IndexFormat.HeaderSize + first * IndexFormat.EntrySize);
        int lo = 0, hi = n - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            var e = buf.Slice(mid * IndexFormat.EntrySize, IndexFormat.EntrySize);
            int c = Score.Read(e).CompareTo(score);
            if (c == 0) { entry = IndexEntry.Unpack(e); position = first + mid; return true; }
            if (c < 0) lo = mid + 1; else hi = mid - 1;
        }
        return false;
    }

    private static int UpperBound(ulong[] a, ulong v)
    {
        int lo = 0, hi = a.Length;
        while (lo < hi) { int mid = (lo + hi) >>> 1; if (a[mid] <= v) lo = mid + 1; else hi = mid; }
        return lo;
    }

    /// <summary>All entries in score order, read sequentially.</summary>
    public IEnumerable<IndexEntry> Entries()
    {
        const int batch = 4096;
        var buf = new byte[batch * IndexFormat.EntrySize];
        for (long i = 0; i < Count; i += batch)
        {
            int n = (int)Math.Min(batch, Count - i);
            RandomAccess.Read(_handle, buf.AsSpan(0, n * IndexFormat.EntrySize), IndexFormat.HeaderSize + i * IndexFormat.EntrySize);
            for (int j = 0; j < n; j++) yield return IndexEntry.Unpack(buf.AsSpan(j * IndexFormat.EntrySize, IndexFormat.EntrySize));
        }
    }

    /// <summary>Writes sorted, duplicate-free entries as a new segment file and makes it durable.</summary>
    public static long Write(string path, IEnumerable<IndexEntry> sortedEntries, long maxCount)
    {
        var bloom = BloomFilter.ForCount(maxCount);
        var fence = new List<ulong>();
        long count = 0;
        var body = new Crc32();
        using (var f = StoreFiles.Open(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
        {
            f.Write(new byte[IndexFormat.HeaderSize]);
            var e = new byte[IndexFormat.EntrySize];
            Score? last = null;
            foreach (var entry in sortedEntries)
            {
                if (last is { } l && l.CompareTo(entry.Score) >= 0)
                {
                    if (l == entry.Score) continue; // the same block indexed twice: keep the first
                    throw new InvalidOperationException("index entries are not sorted");
                }
                last = entry.Score;
                if (count % PageEntries == 0) fence.Add(entry.Score.Prefix);
                entry.Pack(e);
                f.Write(e);
                body.Append(e);
                bloom.Add(entry.Score);
                count++;
            }
            var fb = new byte[8];
            foreach (var p in fence) { BinaryPrimitives.WriteUInt64LittleEndian(fb, p); f.Write(fb); body.Append(fb); }
            f.Write(bloom.Bits);
            body.Append(bloom.Bits);
            var h = new byte[IndexFormat.HeaderSize];
            IndexFormat.Magic.CopyTo(h);
            BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(IndexFormat.H_VERSION), IndexFormat.Version);
            BinaryPrimitives.WriteUInt64LittleEndian(h.AsSpan(IndexFormat.H_COUNT), (ulong)count);
            BinaryPrimitives.WriteUInt64LittleEndian(h.AsSpan(IndexFormat.H_BLOOM_BYTES), (ulong)bloom.Bits.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(IndexFormat.H_BLOOM_HASHES), (uint)bloom.Hashes);
            BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(IndexFormat.H_BODY_CRC), body.GetCurrentHashAsUInt32());
            BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(IndexFormat.H_CHECKSUM), Crc32.HashToUInt32(h.AsSpan(0, IndexFormat.H_CHECKSUM)));
            f.Position = 0;
            f.Write(h);
            f.Flush(true);
        }
        return count;
    }

    /// <summary>Re-reads the whole segment and checks its body checksum and order (for `timetravel verify`).</summary>
    public string? Check()
    {
        var h = new byte[IndexFormat.HeaderSize];
        RandomAccess.Read(_handle, h, 0);
        uint expected = BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(IndexFormat.H_BODY_CRC));
        var crc = new Crc32();
        var buf = new byte[1 << 20];
        long pos = IndexFormat.HeaderSize, end = RandomAccess.GetLength(_handle);
        while (pos < end) { int n = RandomAccess.Read(_handle, buf, pos); if (n <= 0) break; crc.Append(buf.AsSpan(0, n)); pos += n; }
        return crc.GetCurrentHashAsUInt32() == expected ? null : $"{Path}: index segment body checksum mismatch; run `timetravel index rebuild`";
    }

    public void Dispose() => _handle.Dispose();
}
