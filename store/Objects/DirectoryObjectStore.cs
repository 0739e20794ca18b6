// An object store that is a plain directory: each object a file, a key's '/' parts as subdirectories. Used for the
// pure tests of what sits on IObjectStore, and as a mirror of a store on another disk. A put writes a temporary file
// beside the object, fsyncs it, renames it over the name and fsyncs the directory: after a crash the object is
// either the old one or the whole new one, never part of one.
using TimeTravel.Store.Posix;

namespace TimeTravel.Store.Objects;

public sealed class DirectoryObjectStore : IObjectStore
{
    private readonly string _root;

    public DirectoryObjectStore(string root)
    {
        _root = Path.GetFullPath(root);
        StoreFiles.CreateDirectory(_root);
    }

    public string Location => _root;
    public ObjectRequestCounts Requests { get; } = new();

    public void Put(string key, ReadOnlySpan<byte> content)
    {
        Requests.CountPut();
        string path = PathOf(key);
        string temp = TemporaryBeside(path);
        try
        {
            using (var f = StoreFiles.Open(temp, FileMode.CreateNew, FileAccess.Write))
            {
                f.Write(content);
                f.Flush(flushToDisk: true);
            }
            Publish(temp, path);
        }
        catch (Exception e) when (e is not ObjectStoreException)
        {
            TryDelete(temp);
            throw Failure("put", key, e);
        }
    }

    public void PutFile(string key, string sourcePath)
    {
        Requests.CountPut();
        string path = PathOf(key);
        string temp = TemporaryBeside(path);
        try
        {
            using (var source = new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20))
            using (var f = StoreFiles.Open(temp, FileMode.CreateNew, FileAccess.Write, bufferSize: 1 << 20))
            {
                source.CopyTo(f, 1 << 20);
                f.Flush(flushToDisk: true);
            }
            Publish(temp, path);
        }
        catch (FileNotFoundException e) when (!File.Exists(sourcePath))
        {
            TryDelete(temp);
            throw new ObjectStoreException($"{Location}/{key}: cannot put {sourcePath}: {e.Message}", e);
        }
        catch (Exception e) when (e is not ObjectStoreException)
        {
            TryDelete(temp);
            throw Failure("put", key, e);
        }
    }

    public byte[] Get(string key)
    {
        string path = PathOf(key);
        Requests.CountGet();
        try { return File.ReadAllBytes(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { throw new ObjectNotFoundException(Location, key); }
        catch (Exception e) when (e is not ObjectStoreException) { throw Failure("get", key, e); }
    }

    public int GetRange(string key, long offset, Span<byte> into)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        string path = PathOf(key);
        Requests.CountGet();
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            int filled = 0;
            while (filled < into.Length)
            {
                int n = RandomAccess.Read(handle, into[filled..], offset + filled);
                if (n == 0) break;
                filled += n;
            }
            return filled;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { throw new ObjectNotFoundException(Location, key); }
        catch (Exception e) when (e is not ObjectStoreException) { throw Failure("get a range of", key, e); }
    }

    public long? Size(string key)
    {
        Requests.CountHead();
        var info = new FileInfo(PathOf(key));
        return info.Exists ? info.Length : null;
    }

    public IReadOnlyList<ObjectEntry> List(string prefix)
    {
        Requests.CountList();
        // Only the directory the prefix's last '/' names can hold matches; a prefix is not a directory ("arenas/00").
        int slash = prefix.LastIndexOf('/');
        string under = slash < 0 ? "" : prefix[..slash];
        string dir = under.Length == 0 ? _root : Path.Combine(_root, under);
        var found = new List<ObjectEntry>();
        if (Directory.Exists(dir)) Collect(dir, under, prefix, found);
        found.Sort((a, b) => ObjectKey.Compare(a.Key, b.Key));
        return found;
    }

    public void Delete(string key)
    {
        string path = PathOf(key);
        Requests.CountDelete();
        try { File.Delete(path); }
        catch (DirectoryNotFoundException) { } // like S3: deleting what is not there succeeds
        catch (Exception e) when (e is not ObjectStoreException) { throw Failure("delete", key, e); }
    }

    public void Dispose() { }

    private void Collect(string dir, string keyOfDir, string prefix, List<ObjectEntry> found)
    {
        foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos())
        {
            if (entry.Name.StartsWith(ObjectKey.TemporaryPrefix, StringComparison.Ordinal)) continue; // a put in progress
            string key = keyOfDir.Length == 0 ? entry.Name : $"{keyOfDir}/{entry.Name}";
            if (entry is DirectoryInfo sub)
            {
                // Descend only where keys can still match the prefix.
                if (key.StartsWith(prefix, StringComparison.Ordinal) || prefix.StartsWith(key + "/", StringComparison.Ordinal))
                    Collect(sub.FullName, key, prefix, found);
            }
            else if (entry is FileInfo file && key.StartsWith(prefix, StringComparison.Ordinal))
                found.Add(new ObjectEntry(key, file.Length, file.LastWriteTimeUtc));
        }
    }

    private string PathOf(string key)
    {
        ObjectKey.Check(key);
        return Path.Combine(_root, key);
    }

    private static string TemporaryBeside(string path)
    {
        string dir = Path.GetDirectoryName(path)!;
        StoreFiles.CreateDirectory(dir);
        return Path.Combine(dir, $"{ObjectKey.TemporaryPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
    }

    private static void Publish(string temp, string path)
    {
        File.Move(temp, path, overwrite: true);
        PosixFs.FsyncDirectory(Path.GetDirectoryName(path)!);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private ObjectStoreException Failure(string what, string key, Exception e) =>
        new($"{Location}/{key}: cannot {what} the object: {e.Message}", e);
}
