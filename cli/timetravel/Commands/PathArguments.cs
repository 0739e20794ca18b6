// Every path argument of `timetravel`, read one way (PathArgument in the store): the bytes typed, relative to the
// current directory; a path inside the mount means the path in its snapshot; an escaped spelling ($'...', \xNN, \\)
// only where the name as typed names nothing. Paths are printed by one rule too: PathBytes.Quoted.
using TimeTravel.Store;
using TimeTravel.Store.History;
using TimeTravel.Store.Posix;

namespace TimeTravel.Cli.Commands;

public static class PathArguments
{
    /// <summary>
    /// A path as the snapshots record it (cat, ls, restore, history, diff). `inSnapshots` says whether a reading names
    /// something in the snapshots the command reads; a file of that name now counts too.
    /// </summary>
    public static byte[] InSnapshots(Repository repo, string argument, Func<byte[], bool> inSnapshots)
    {
        var (mountPoint, _) = MountLocator.Find(repo.Layout.Root);
        byte[] cwd = PathArgument.CurrentDirectory();
        bool hosted = Store.Naming.HostNames.Many(repo.Catalog.Snapshots()); // the mount shows MOUNT/HOST/SNAPSHOT
        var readings = PathArgument.Readings(CommandLineBytes.Bytes(argument))
            .Select(r => hosted ? SnapshotPaths.SourcePathInHosts(r, cwd, mountPoint) : SnapshotPaths.SourcePath(r, cwd, mountPoint)).ToList();
        return PathArgument.Choose(readings, p => PosixFs.TryLStat(p, out _) || inSnapshots(p));
    }

    /// <summary>A path on this machine (restore --to): absolute, the escaped reading only when the typed one does not exist.</summary>
    public static byte[] OnDisk(string argument)
    {
        byte[] cwd = PathArgument.CurrentDirectory();
        var readings = PathArgument.Readings(CommandLineBytes.Bytes(argument)).Select(r => PathArgument.Absolute(r, cwd)).ToList();
        return PathArgument.Choose(readings, p => PosixFs.TryLStat(p, out _));
    }

    /// <summary>A path the store keeps as text (a source, the mount point): refused, naming it, when it is not UTF-8.</summary>
    public static string Text(string argument, string what)
    {
        if (CommandLineBytes.HasRawBytes(argument))
            throw new StoreException($"{PathBytes.Quoted(CommandLineBytes.Bytes(argument))}: a {what} must be a UTF-8 path; rename it or give it through a symlink whose name is");
        return argument;
    }

    /// <summary>Whether some snapshot of the store has `path`.</summary>
    public static bool InSomeSnapshot(Repository repo, byte[] path)
    {
        var parts = PathBytes.Components(path);
        return repo.Catalog.Snapshots().Any(s => repo.Trees.Resolve(s.Root, parts) is not null);
    }
}
