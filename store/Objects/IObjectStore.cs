// The seam under the arenas for a store kept in an object store (an S3 bucket): whole immutable objects put once,
// read whole or by byte range, listed by prefix, deleted only by garbage collection. Synchronous, like the rest of
// the store; an implementation (remote/ for S3, DirectoryObjectStore for a plain directory) does its own retries.
namespace TimeTravel.Store.Objects;

public interface IObjectStore : IDisposable
{
    /// <summary>Where the objects are, for messages: "s3://bucket/prefix" or a directory.</summary>
    string Location { get; }

    /// <summary>Stores the file's bytes under key, replacing nothing the caller has not decided to replace.</summary>
    void PutFile(string key, string path);

    void Put(string key, ReadOnlySpan<byte> content);

    /// <summary>The whole object; ObjectNotFoundException when there is none.</summary>
    byte[] Get(string key);

    /// <summary>Fills `into` from the object's bytes at `offset`; returns how many bytes were there (fewer at its end).</summary>
    int GetRange(string key, long offset, Span<byte> into);

    /// <summary>Size of the object, or null when there is none.</summary>
    long? Size(string key);

    /// <summary>Every key under prefix (all pages), with sizes, in key order.</summary>
    IReadOnlyList<ObjectEntry> List(string prefix);

    void Delete(string key);

    /// <summary>Requests made so far, by kind (for the benchmark's and the tests' counts).</summary>
    ObjectRequestCounts Requests { get; }
}

/// <summary>A listed object: its key (relative to the store's prefix), size and last-modified time (gc's grace period).</summary>
public readonly record struct ObjectEntry(string Key, long Size, DateTimeOffset Modified);

public sealed class ObjectRequestCounts
{
    private long _list, _put, _get, _head, _delete;
    public long List => Interlocked.Read(ref _list);
    public long Put => Interlocked.Read(ref _put);
    public long Get => Interlocked.Read(ref _get);
    public long Head => Interlocked.Read(ref _head);
    public long Delete => Interlocked.Read(ref _delete);
    public void CountList() => Interlocked.Increment(ref _list);
    public void CountPut() => Interlocked.Increment(ref _put);
    public void CountGet() => Interlocked.Increment(ref _get);
    public void CountHead() => Interlocked.Increment(ref _head);
    public void CountDelete() => Interlocked.Increment(ref _delete);
    public override string ToString() => $"LIST {List}, PUT {Put}, GET {Get}, HEAD {Head}, DELETE {Delete}";
}

/// <summary>No object under that key.</summary>
public sealed class ObjectNotFoundException(string location, string key)
    : IOException($"{location}/{key}: no such object");

/// <summary>The object store could not be reached or refused a request; the message names the store, the key and why.</summary>
public sealed class ObjectStoreException(string message, Exception? inner = null) : IOException(message, inner);
