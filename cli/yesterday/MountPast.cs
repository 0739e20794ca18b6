// The past as the mount shows it, for users who may not open the store: snapshot names and times from the names at
// the mount's root, a file's existence by lstat, its versions from the hidden .history directory. Every answer goes
// through the kernel's permission checks on the recorded owners and modes, so a user learns only what they could
// have read then.
using TimeTravel.Store.History;
using TimeTravel.Store.Naming;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Restore;
using TimeTravel.Store.Trees;

namespace TimeTravel.Yesterday;

public sealed class MountPast : Past
{
    private readonly MountedTreeSource _source = new();

    public MountPast(string mountPoint)
    {
        MountPoint = mountPoint;
        Zone = ZoneOf(mountPoint);
        var stamps = new List<SnapshotStamp>();
        foreach (var e in PosixFs.ReadDirectory(PathBytes.From(mountPoint)))
            if (e.Kind is FileKind.Directory or null && SnapshotStamp.FromName(PathBytes.Display(e.Name), Zone) is { } s) stamps.Add(s);
        Snapshots = SnapshotStamp.Ordered(stamps);
    }

    // The store's zone, from the mount's hidden link MOUNT/.zone; a mount made by a version without it: the system's.
    private static TimeZoneInfo ZoneOf(string mountPoint)
    {
        string link = SnapshotPaths.InMount(mountPoint, StoreZone.MountLink, "/");
        try { return StoreZone.Find(PathBytes.Display(PosixFs.ReadLink(PathBytes.FromDisplay(link))), link); }
        catch (PosixException e) when (e.Errno == 2 /* ENOENT */) { return StoreZone.System(); }
    }

    public override string MountPoint { get; }
    public override bool Mounted => true;
    public override string? NotMounted => null;
    public override IReadOnlyList<SnapshotStamp> Snapshots { get; }
    public override TimeZoneInfo Zone { get; }
    public override IReadOnlyList<string>? Sources => null;
    public override IRestoreSource Source => _source;
    public override Func<byte[], byte[], bool>? WouldRecord => null;

    /// <summary>In some snapshot: the hidden .history directory has the path (reachable by name, even when deleted since).</summary>
    public override bool Covers(byte[] path)
    {
        try { PosixFs.LStat(InHistory(path)); return true; }
        catch (PosixException e) when (e.Errno is 2 or 20 /* ENOENT, ENOTDIR */) { return false; }
        catch (PosixException) { return true; } // there, but not for this user: Find says so
    }

    public override bool InSomeSnapshot(byte[] path) => PosixFs.TryLStat(InHistory(path), out _);

    public override Node? Find(SnapshotStamp snap, byte[] path)
    {
        var bytes = Exact(snap, path);
        try { PosixFs.LStat(bytes); }
        catch (PosixException e) when (e.Errno is 2 or 20 /* ENOENT, ENOTDIR */) { return null; }
        return _source.NodeAt(bytes);
    }

    /// <summary>
    /// Whether `snap` has a file (not a directory) at `path`, as far as this user can tell: a path they may not look
    /// at in that snapshot counts as there, since it is not known to be gone (.history shows them no version of it).
    /// </summary>
    public bool ExistsAsFile(SnapshotStamp snap, byte[] path)
    {
        try { return PosixFs.LStat(Exact(snap, path)).Kind != FileKind.Directory; }
        catch (PosixException e) when (e.Errno is 2 or 20 /* ENOENT, ENOTDIR */) { return false; }
        catch (PosixException) { return true; }
    }

    public override int History(byte[] path, TextWriter output, TextWriter errors)
    {
        var lines = MountHistory.Versions(this, path);
        if (lines.Count == 0)
        {
            errors.WriteLine($"yesterday: {PathBytes.Quoted(path)} is in no snapshot");
            return 1;
        }
        foreach (var (snap, st, words) in lines)
            HistoryLine.Write(output, snap, st is { } s ? (s.Size, s.Uid, s.Gid) : null, words, st is null ? null : PathBytes.Quoted(InMount(snap, path)));
        return 0;
    }
}
