// The past as the mount shows it, for users who may not open the store: snapshot names and times from the names at
// the mount's root, a file's existence by lstat, its versions from the hidden .history directory. Every answer goes
// through the kernel's permission checks on the recorded owners and modes, so a user learns only what they could
// have read then. A mount that shows hosts (MOUNT/HOST/SNAPSHOT) is read in the own host's directory (the hidden link
// MOUNT/.host names it), or another host's with --host; .history holds the own host's snapshots only.
using TimeTravel.Store;
using TimeTravel.Store.History;
using TimeTravel.Store.Naming;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Restore;
using TimeTravel.Store.Trees;

namespace TimeTravel.Yesterday;

public sealed class MountPast : Past
{
    private readonly MountedTreeSource _source = new();

    private readonly bool _ownHost;

    public MountPast(string mountPoint, string? host = null)
    {
        MountPoint = mountPoint;
        Zone = ZoneOf(mountPoint);
        string? own = HostOf(mountPoint);
        var root = PosixFs.ReadDirectory(PathBytes.From(mountPoint)).Select(e => PathBytes.Display(e.Name)).ToList();
        // Hosted: the root lists host directories, the own one among them, and no snapshot.
        bool hosted = own is not null && root.Contains(own) && !root.Any(n => SnapshotStamp.FromName(n, Zone) is not null);
        string chosen = host is null ? own ?? "" : HostNames.Check(host, "--host");
        _ownHost = host is null || host == own;
        if (!_ownHost && !(hosted && root.Contains(chosen)))
            throw new StoreException(hosted
                ? $"--host {chosen}: the mount {mountPoint} shows no such host; its hosts are {string.Join(", ", root)}"
                : $"--host {chosen}: the mount {mountPoint} shows the snapshots of host {own ?? "(unnamed)"} only");
        SnapshotsDirectory = hosted ? HostNames.MountDirectory(mountPoint, chosen, hosted: true) : mountPoint;
        var stamps = new List<SnapshotStamp>();
        foreach (var e in PosixFs.ReadDirectory(PathBytes.From(SnapshotsDirectory)))
            if (e.Kind is FileKind.Directory or null && SnapshotStamp.FromName(PathBytes.Display(e.Name), Zone) is { } s) stamps.Add(s);
        Snapshots = SnapshotStamp.Ordered(stamps);
    }

    // The store's own host, from the mount's hidden link MOUNT/.host; a mount made by a version without it: null.
    private static string? HostOf(string mountPoint)
    {
        try { return PathBytes.Display(PosixFs.ReadLink(PathBytes.FromDisplay(SnapshotPaths.InMount(mountPoint, HostNames.MountLink, "/")))); }
        catch (PosixException e) when (e.Errno == 2 /* ENOENT */) { return null; }
    }

    // The store's zone, from the mount's hidden link MOUNT/.zone; a mount made by a version without it: the system's.
    private static TimeZoneInfo ZoneOf(string mountPoint)
    {
        string link = SnapshotPaths.InMount(mountPoint, StoreZone.MountLink, "/");
        try { return StoreZone.Find(PathBytes.Display(PosixFs.ReadLink(PathBytes.FromDisplay(link))), link); }
        catch (PosixException e) when (e.Errno == 2 /* ENOENT */) { return StoreZone.System(); }
    }

    public override string MountPoint { get; }
    public override string SnapshotsDirectory { get; }
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
        if (!_ownHost) return InSomeSnapshot(path);
        try { PosixFs.LStat(InHistory(path)); return true; }
        catch (PosixException e) when (e.Errno is 2 or 20 /* ENOENT, ENOTDIR */) { return false; }
        catch (PosixException) { return true; } // there, but not for this user: Find says so
    }

    public override bool InSomeSnapshot(byte[] path) =>
        _ownHost ? PosixFs.TryLStat(InHistory(path), out _) : Snapshots.Any(s => PosixFs.TryLStat(Exact(s, path), out _));

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
        if (!_ownHost)
        {
            errors.WriteLine("yesterday: -a with another host's snapshots needs the store (the mount's .history is the own host's); run it as root");
            return 1;
        }
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
