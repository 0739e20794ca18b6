// A bounded cache on local disk of byte ranges of immutable objects (the arenas in a bucket), so cat, restore, the
// mount and verify read an arena's blocks from the bucket once and from disk afterwards. Objects are cut into fixed
// pages (PageSize); a page is one file, DIR/KEYHASH/PAGE.page, written beside and renamed into place, so a page file
// is whole or absent even with several processes sharing the directory. Each page file carries its length and a
// checksum (docs/format.md, "Range cache page"); one that fails the check (damaged, cut short) is fetched again,
// never returned. Missing pages are fetched with one ranged GET per run of consecutive missing pages. The pages'
// total size is kept under a budget by deleting the least recently used (by modification time, which a hit renews).
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace TimeTravel.Store.Objects;

public sealed class ObjectRangeCache
{
    public const int PageSize = 1 << 20;
    public const long DefaultBudget = 1L << 30;

    // Page file layout (docs/format.md): magic, data length, checksum, data.
    internal static ReadOnlySpan<byte> Magic => "TTPAGE01"u8; // 0-7
    internal const int LengthAt = 8;                            // 8-11 uint32 LE: bytes of data (< PageSize only at the object's end)
    internal const int ChecksumAt = 12;                         // 12-19 uint64 LE: XxHash3 of key hash, page number, data
    internal const int HeaderSize = 20;                         // 20-: the data
    private const string PageSuffix = ".page";

    private readonly IObjectStore _store;
    private readonly string _dir;
    private readonly int _readAheadPages;
    private readonly Lock _evicting = new();
    private long _bytesKept;          // this process's idea of the pages' total; re-measured on each eviction
    private long _hits, _misses, _fetches, _bytesFetched;

    public long Budget { get; }
    public long Hits => Interlocked.Read(ref _hits);
    public long Misses => Interlocked.Read(ref _misses);
    /// <summary>Ranged GETs sent to the store.</summary>
    public long Fetches => Interlocked.Read(ref _fetches);
    public long BytesFetched => Interlocked.Read(ref _bytesFetched);

    /// <param name="readAheadPages">Pages after a missing run also fetched in the same GET when they are missing too.</param>
    public ObjectRangeCache(IObjectStore store, string directory, long budget = DefaultBudget, int readAheadPages = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(budget, PageSize + HeaderSize, nameof(budget));
        ArgumentOutOfRangeException.ThrowIfNegative(readAheadPages);
        _store = store;
        _dir = Path.GetFullPath(directory);
        Budget = budget;
        _readAheadPages = readAheadPages;
        StoreFiles.CreateDirectory(_dir);
        _bytesKept = PageFiles().Sum(f => f.Length);
    }

    private const int ReadAheadFrom = 64 << 10;

    /// <summary>Fills `into` with the object's bytes at `offset`; returns how many there were (fewer at its end).</summary>
    public int Read(string key, long offset, Span<byte> into)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (into.Length == 0) return 0;
        string keyDir = Path.Combine(_dir, KeyHash(key));
        byte[] keyHash = Convert.FromHexString(Path.GetFileName(keyDir));
        long first = offset / PageSize, last = (offset + into.Length - 1) / PageSize;
        int filled = 0;
        for (long page = first; page <= last;)
        {
            byte[]? data = TryLoad(keyDir, keyHash, page);
            if (data is not null)
            {
                Interlocked.Increment(ref _hits);
                int n = CopyOut(data, page, offset, into, ref filled);
                if (data.Length < PageSize || n == 0) break; // the object ends in this page
                page++;
                continue;
            }
            // A run of missing pages, read ahead past the end of the request over pages that are missing too.
            long runEnd = page;
            while (runEnd < last && !Exists(keyDir, runEnd + 1)) runEnd++;
            long aheadEnd = runEnd;
            // Read ahead for a large request only (a file's data, read front to back); a small one (a directory block
            // met by `find`) is alone where it is, and pages after it would be bytes fetched for nothing.
            int readAhead = into.Length >= ReadAheadFrom ? _readAheadPages : 0;
            if (runEnd == last)
                while (aheadEnd < last + readAhead && !Exists(keyDir, aheadEnd + 1)) aheadEnd++;
            var fetched = Fetch(key, keyDir, keyHash, page, aheadEnd);
            Interlocked.Add(ref _misses, runEnd - page + 1);
            bool ended = false;
            for (long p = page; p <= runEnd; p++)
            {
                int index = (int)(p - page);
                if (index >= fetched.Count) { ended = true; break; }
                int n = CopyOut(fetched[index], p, offset, into, ref filled);
                if (fetched[index].Length < PageSize || n == 0) { ended = true; break; }
            }
            if (ended) break;
            page = runEnd + 1;
        }
        KeepWithinBudget();
        return filled;
    }

    /// <summary>Drops every cached page of the object (it was deleted by gc; its key will not come back with other bytes).</summary>
    public void Forget(string key)
    {
        string keyDir = Path.Combine(_dir, KeyHash(key));
        lock (_recent)
            for (var n = _recent.First; n is not null;)
            {
                var next = n.Next;
                if (n.Value.Dir == keyDir) _recent.Remove(n);
                n = next;
            }
        if (!Directory.Exists(keyDir)) return;
        foreach (var f in new DirectoryInfo(keyDir).EnumerateFiles())
        {
            long length = f.Length;
            if (TryDelete(f.FullName) && f.Name.EndsWith(PageSuffix, StringComparison.Ordinal)) Interlocked.Add(ref _bytesKept, -length);
        }
        try { Directory.Delete(keyDir); } catch (IOException) { } // another process just added a page
    }

    /// <summary>Bytes of page files now in the directory (all processes' pages).</summary>
    public long BytesOnDisk() => PageFiles().Sum(f => f.Length);

    private static int CopyOut(byte[] data, long page, long offset, Span<byte> into, ref int filled)
    {
        long pageStart = page * PageSize;
        long from = offset + filled - pageStart; // where in this page the next wanted byte is
        if (from >= data.Length) return 0;
        int n = (int)Math.Min(data.Length - from, into.Length - filled);
        data.AsSpan((int)from, n).CopyTo(into[filled..]);
        filled += n;
        return n;
    }

    /// <summary>One ranged GET for pages first..last; stores each page it got; returns their data (fewer at the end).</summary>
    private List<byte[]> Fetch(string key, string keyDir, byte[] keyHash, long first, long last)
    {
        var buffer = new byte[(last - first + 1) * PageSize];
        int got = _store.GetRange(key, first * PageSize, buffer);
        Interlocked.Increment(ref _fetches);
        Interlocked.Add(ref _bytesFetched, got);
        var pages = new List<byte[]>();
        for (long p = first; p <= last; p++)
        {
            int start = (int)((p - first) * PageSize);
            if (start >= got) break;
            var data = buffer.AsSpan(start, Math.Min(PageSize, got - start)).ToArray();
            Save(keyDir, keyHash, p, data);
            Remember(keyDir, p, data);
            pages.Add(data);
            if (data.Length < PageSize) break;
        }
        return pages;
    }

    // The pages used last, in memory: a file read through a mount asks for each page many times (a FUSE read is
    // 128 KiB, a block up to a few MiB), and reading and checking a 1 MiB page file for each would cost more than the
    // copy. Pages are immutable, so a copy here is never stale; Forget drops an object's.
    private const int RecentPages = 16;
    private readonly LinkedList<(string Dir, long Page, byte[] Data)> _recent = new();

    private byte[]? Recent(string keyDir, long page)
    {
        lock (_recent)
            for (var n = _recent.First; n is not null; n = n.Next)
                if (n.Value.Page == page && n.Value.Dir == keyDir)
                {
                    _recent.Remove(n);
                    _recent.AddFirst(n);
                    return n.Value.Data;
                }
        return null;
    }

    private void Remember(string keyDir, long page, byte[] data)
    {
        lock (_recent)
        {
            _recent.AddFirst((keyDir, page, data));
            while (_recent.Count > RecentPages) _recent.RemoveLast();
        }
    }

    private byte[]? TryLoad(string keyDir, byte[] keyHash, long page)
    {
        string path = PagePath(keyDir, page);
        if (Recent(keyDir, page) is { } recent)
        {
            try { File.SetLastWriteTimeUtc(path, DateTime.UtcNow); } // still the file's use, for eviction
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { }
            return recent;
        }
        byte[] file;
        try { file = File.ReadAllBytes(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { return null; }
        if (Decode(file, keyHash, page) is not { } data) return null; // damaged or cut short: fetched again and replaced
        Remember(keyDir, page, data);
        try { File.SetLastWriteTimeUtc(path, DateTime.UtcNow); } // recently used: evicted last
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { } // evicted meanwhile; we have its bytes
        return data;
    }

    private void Save(string keyDir, byte[] keyHash, long page, byte[] data)
    {
        StoreFiles.CreateDirectory(keyDir);
        string path = PagePath(keyDir, page);
        string temp = Path.Combine(keyDir, $"{ObjectKey.TemporaryPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        var file = Encode(keyHash, page, data);
        try
        {
            using (var f = StoreFiles.Open(temp, FileMode.CreateNew, FileAccess.Write))
                f.Write(file);
            // No fsync: a cache page lost in a crash is fetched again; one cut short fails its checksum.
            long replaced = File.Exists(path) ? new FileInfo(path).Length : 0;
            File.Move(temp, path, overwrite: true);
            Interlocked.Add(ref _bytesKept, file.Length - replaced);
        }
        catch (IOException) { TryDelete(temp); } // a full cache disk must not fail a read that has its bytes
        catch (UnauthorizedAccessException) { TryDelete(temp); }
    }

    internal static byte[] Encode(byte[] keyHash, long page, ReadOnlySpan<byte> data)
    {
        var file = new byte[HeaderSize + data.Length];
        Magic.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(LengthAt), (uint)data.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(ChecksumAt), Checksum(keyHash, page, data));
        data.CopyTo(file.AsSpan(HeaderSize));
        return file;
    }

    /// <summary>The page's data, or null when the file is not a whole, undamaged page of this key and number.</summary>
    internal static byte[]? Decode(byte[] file, byte[] keyHash, long page)
    {
        if (file.Length < HeaderSize || !file.AsSpan(0, Magic.Length).SequenceEqual(Magic)) return null;
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(LengthAt));
        if (length > PageSize || file.Length != HeaderSize + length) return null;
        var data = file.AsSpan(HeaderSize);
        if (BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(ChecksumAt)) != Checksum(keyHash, page, data)) return null;
        return data.ToArray();
    }

    private static ulong Checksum(byte[] keyHash, long page, ReadOnlySpan<byte> data)
    {
        var hash = new XxHash3();
        hash.Append(keyHash);
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(number, page);
        hash.Append(number);
        hash.Append(data);
        return hash.GetCurrentHashAsUInt64();
    }

    private void KeepWithinBudget()
    {
        if (Interlocked.Read(ref _bytesKept) <= Budget) return;
        lock (_evicting)
        {
            // Measure what is really there (other processes add pages too), then delete the least recently used
            // down to 90% of the budget, so the next eviction is many pages away.
            var pages = PageFiles().ToList();
            long total = pages.Sum(f => f.Length);
            long target = Budget - Budget / 10;
            foreach (var f in pages.OrderBy(f => f.LastWriteTimeUtc))
            {
                if (total <= target) break;
                if (TryDelete(f.FullName)) total -= f.Length;
            }
            Interlocked.Exchange(ref _bytesKept, total);
            lock (_recent) _recent.Clear(); // a page evicted from disk is fetched again, not served from memory
        }
    }

    private IEnumerable<FileInfo> PageFiles()
    {
        if (!Directory.Exists(_dir)) return [];
        return new DirectoryInfo(_dir).EnumerateDirectories()
            .SelectMany(d =>
            {
                try { return d.EnumerateFiles("*" + PageSuffix).ToList(); }
                catch (DirectoryNotFoundException) { return []; } // forgotten meanwhile
            });
    }

    private static bool Exists(string keyDir, long page) => File.Exists(PagePath(keyDir, page));

    private static string PagePath(string keyDir, long page) => Path.Combine(keyDir, $"{page:x8}{PageSuffix}");

    /// <summary>The key's directory name: 32 hex digits of its SHA-256 (keys have '/' and may be long).</summary>
    internal static string KeyHash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)), 0, 16);

    private static bool TryDelete(string path)
    {
        try { File.Delete(path); return true; }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }
}
