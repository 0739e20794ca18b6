// Where `yesterday` reads the past from: the store (StorePast), or, when the store cannot be opened (an ordinary
// user: the store is root's alone), the mount (MountPast), which shows every user what they could see then. Plan 9's
// yesterday read only the dump tree; this one reads the store where it may, because that works with nothing mounted.
using TimeTravel.Store;
using TimeTravel.Store.History;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Restore;
using TimeTravel.Store.Trees;

namespace TimeTravel.Yesterday;

public abstract class Past : IDisposable
{
    /// <summary>Where the snapshots are (or would be) mounted.</summary>
    public abstract string MountPoint { get; }
    /// <summary>Where the chosen host's snapshots are in the mount: MOUNT/HOST when the mount shows hosts, else MOUNT (Naming.HostNames).</summary>
    public abstract string SnapshotsDirectory { get; }
    public abstract bool Mounted { get; }
    /// <summary>Oldest first.</summary>
    public abstract IReadOnlyList<SnapshotStamp> Snapshots { get; }
    /// <summary>The zone the snapshot names are in (StoreZone): --at and dates without an offset are read in it.</summary>
    public abstract TimeZoneInfo Zone { get; }
    /// <summary>The store's sources; null when they are not known (read through the mount).</summary>
    public abstract IReadOnlyList<string>? Sources { get; }
    /// <summary>What restores read from.</summary>
    public abstract IRestoreSource Source { get; }
    /// <summary>
    /// For the rollback of -c: whether an entry absent from the snapshot would have been recorded had it existed
    /// (so it was made since, and goes). Null when that cannot be told (the mount does not show the sources'
    /// excludes): -c then merges.
    /// </summary>
    public abstract Func<byte[], byte[], bool>? WouldRecord { get; }

    /// <summary>Whether the snapshots can hold `path` at all: inside a source (store), or in some snapshot (mount).</summary>
    public abstract bool Covers(byte[] path);

    /// <summary>Whether some snapshot has `path` (for choosing between the readings of an escaped name).</summary>
    public abstract bool InSomeSnapshot(byte[] path);

    /// <summary>What `snap` holds at the absolute `path`, or null; IOException when that cannot be told (permission).</summary>
    public abstract Node? Find(SnapshotStamp snap, byte[] path);

    /// <summary>`yesterday -a`: every distinct version of `path`, oldest first; the exit status.</summary>
    public abstract int History(byte[] path, TextWriter output, TextWriter errors);

    /// <summary>
    /// Where `path` of `snap` is in the mount: under its day's name when it is that day's last snapshot. With nothing
    /// mounted there is no such path: SNAPSHOT:PATH instead (NotMounted says so).
    /// </summary>
    public byte[] InMount(SnapshotStamp snap, byte[] path) => Mounted
        ? SnapshotPaths.InMount(SnapshotsDirectory, SnapshotPaths.DirectoryName(snap, Snapshots), path)
        : SnapshotPaths.Label(snap.Name, path);

    /// <summary>The note for stderr when the store is not mounted (versions are shown as SNAPSHOT:PATH); null when it is.</summary>
    public abstract string? NotMounted { get; }

    /// <summary>MOUNT/SNAPSHOT/path, by the snapshot's own name (its day's link may point elsewhere by now).</summary>
    public byte[] Exact(SnapshotStamp snap, byte[] path) => SnapshotPaths.InMount(SnapshotsDirectory, snap.Name, path);

    /// <summary>MOUNT/.history/path: the versions of a file, the names ever under a directory (the own host's snapshots).</summary>
    public byte[] InHistory(byte[] path) => SnapshotPaths.InMount(MountPoint, ".history", path);

    public virtual void Dispose() { }

    /// <summary>
    /// The store when it can be opened; else, when it exists but this user may not read it, its mount (for the default
    /// store, a timetravel mount at the default place); else a StoreException naming the store. `host`: another host's
    /// snapshots (null: the store's own host's, what "yesterday" means on this machine).
    /// </summary>
    public static Past Open(string storeRoot, string? host = null)
    {
        Repository? repo = null;
        try { repo = Repository.OpenReader(storeRoot); }
        catch (Exception e) when (e is StoreException or StoreFormatException or IOException or UnauthorizedAccessException)
        {
            if (!Exists(storeRoot)) throw new StoreException($"{storeRoot}: no such store (give the store with --store or $TIMETRAVEL_STORE)");
            if (!MayNotRead(storeRoot)) throw; // a store this user can read, and its own error
            if (MountLocator.FindReadable(storeRoot) is { } mountPoint) return new MountPast(mountPoint, host);
            throw new StoreException($"{storeRoot}: the store is readable by root only and is not mounted; root can mount it " +
                $"with `timetravel --store {storeRoot} mount` (at {MountLocator.DefaultMountPoint}), and then every user reads it there");
        }
        try { return new StorePast(repo, host); }
        catch { repo.Dispose(); throw; }
    }

    private static bool Exists(string path)
    {
        try { PosixFs.LStat(PathBytes.FromDisplay(Path.GetFullPath(path))); return true; }
        catch (PosixException e) when (e.Errno is 2 or 20 /* ENOENT, ENOTDIR */) { return false; }
        catch (PosixException) { return true; } // there, as far as this user can tell
    }

    // Whether the store's directory keeps this user out (so the mount is their way in).
    private static bool MayNotRead(string storeRoot)
    {
        try { Directory.EnumerateFileSystemEntries(storeRoot).Any(); return false; }
        catch (UnauthorizedAccessException) { return true; }
        catch (IOException) { return false; }
    }
}
