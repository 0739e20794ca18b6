// What `yesterday` does with one file once the snapshot is chosen.
using System.Diagnostics;
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Restore;
using TimeTravel.Store.Trees;

namespace TimeTravel.Yesterday;

public enum Mode { Print, Diff, DiffTree, Copy, CopyIfDiffers, Bind, History }

public sealed class Yesterday(Repository repo, TextWriter output, TextWriter errors, bool noBackup)
{
    private readonly List<string> _temporary = [];

    public int Do(string file, SnapshotChoice choice, DateTimeOffset now, Mode mode, string[] command)
    {
        try { return DoOne(file, choice, now, mode, command); }
        finally
        {
            foreach (var t in _temporary) try { if (Directory.Exists(t)) Directory.Delete(t, true); else File.Delete(t); } catch (IOException) { }
            _temporary.Clear();
        }
    }

    private int DoOne(string file, SnapshotChoice choice, DateTimeOffset now, Mode mode, string[] command)
    {
        var (mountPoint, mounted) = MountLocator.Find(repo.Layout.Root);
        var all = repo.Catalog.Snapshots();
        string path = SnapshotPaths.SourcePath(file, Environment.CurrentDirectory, mountPoint);
        var sources = repo.Catalog.Sources();
        if (!sources.Any(s => SnapshotPaths.IsUnder(path, s.Path)))
        {
            errors.WriteLine($"yesterday: {path} is outside every source; the sources are {string.Join(", ", sources.Select(s => s.Path))}");
            return 1;
        }
        if (mode == Mode.History) return HistoryPrinter.Print(repo, all, path, mountPoint, output, errors);
        var snap = choice.Pick(all, now);
        var node = repo.Trees.Resolve(snap.Root, PathBytes.Components(PathBytes.FromDisplay(path)));
        if (node is null)
        {
            errors.WriteLine($"yesterday: {path} does not exist in snapshot {snap.Name}");
            return 1;
        }
        string old = SnapshotPaths.InMount(mountPoint, snap, all, path);
        switch (mode)
        {
            case Mode.Print:
                output.WriteLine(old);
                if (!mounted) errors.WriteLine($"yesterday: note: {mountPoint} is not mounted (`timetravel mount`)");
                return 0;
            case Mode.Diff:
                if (node.Kind == FileKind.Directory) { errors.WriteLine($"yesterday: {path} is a directory; use -D"); return 1; }
                return Run("diff", ["-u", "--label", old, "--label", path, mounted ? old : Extract(node), path]);
            case Mode.DiffTree:
                return Run("diff", ["-ru", mounted ? old : RestoreToTemporary(node), path]);
            case Mode.Copy:
            case Mode.CopyIfDiffers:
                var actions = Restorer.Restore(repo, node, PathBytes.From(path),
                    new RestoreOptions { KeepBackup = !noBackup, OnlyIfDifferent = mode == Mode.CopyIfDiffers },
                    m => errors.WriteLine($"yesterday: {m}"));
                foreach (var a in actions.Where(a => a.Kind is RestoreAction.Create or RestoreAction.Replace)) output.WriteLine($"{a.Kind} {a.Path}");
                return Restorer.AnyFailed(actions) ? 1 : 0;
            case Mode.Bind:
                string source = mounted ? old : node.Kind == FileKind.Directory ? RestoreToTemporary(node) : Extract(node);
                return Run("unshare", ["--mount", "--propagation", "private", "sh", "-c",
                    "mount --bind \"$1\" \"$2\" && shift 2 && exec \"$@\"", "sh", source, path, .. command]);
            default:
                return 1;
        }
    }

    // The old version as a temporary file, for when nothing is mounted.
    private string Extract(Node node)
    {
        string tmp = Path.Combine(Path.GetTempPath(), $"yesterday-{Environment.ProcessId}-{_temporary.Count}");
        _temporary.Add(tmp);
        using var f = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write);
        if (node.Kind == FileKind.Regular) repo.Trees.Streams.CopyTo(node.Content, f);
        else if (node.LinkTarget is { } target) f.Write(target);
        f.SetLength(node.Kind == FileKind.Regular ? node.Content.Length : f.Length);
        return tmp;
    }

    private string RestoreToTemporary(Node node)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"yesterday-{Environment.ProcessId}-{_temporary.Count}");
        _temporary.Add(dir);
        Restorer.Restore(repo, node, PathBytes.From(dir), new RestoreOptions { KeepBackup = false }, m => errors.WriteLine($"yesterday: {m}"));
        return dir;
    }

    private static int Run(string program, string[] args)
    {
        var psi = new ProcessStartInfo(program) { UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new IOException($"cannot run {program}");
        p.WaitForExit();
        return p.ExitCode;
    }
}
