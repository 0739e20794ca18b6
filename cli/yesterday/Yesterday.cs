// What `yesterday` does once the snapshot is chosen: print where each file's old version is, diff it against the
// current file, copy it back (a rollback: a directory loses what was made since), list its versions, or run one
// command with every old version bind-mounted over its file. With nothing mounted, old versions are extracted into
// a private directory (0700) and removed afterwards; for -b through the restorer, so they keep mode, owner, times
// and xattrs.
using System.Diagnostics;
using System.Runtime.InteropServices;
using TimeTravel.Store.History;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Restore;
using TimeTravel.Store.Trees;

namespace TimeTravel.Yesterday;

public enum Mode { Print, Diff, DiffTree, Copy, CopyIfDiffers, Bind, History }

public sealed class Yesterday(Past past, TextWriter output, TextWriter errors, bool noBackup)
{
    // Binds each SOURCE TARGET pair up to "--", then runs what follows, all inside the private mount namespace.
    private const string BindScript = "while [ \"$1\" != -- ]; do mount --bind \"$1\" \"$2\" || exit 125; shift 2; done; shift; exec \"$@\"";

    // Path: the bytes the snapshot records and the file now has: looked up and written by the same bytes.
    private sealed record Old(byte[] Path, SnapshotStamp Snapshot, Node Node)
    {
        public string Shown => PathBytes.Quoted(Path);
    }

    public int Run(IReadOnlyList<string> files, SnapshotChoice choice, DateTimeOffset now, Mode mode, string[] command)
    {
        if (mode == Mode.Bind) return Bind(files, choice, now, command);
        int status = 0;
        foreach (var f in files) status = Math.Max(status, One(f, choice, now, mode));
        return status;
    }

    private int One(string file, SnapshotChoice choice, DateTimeOffset now, Mode mode)
    {
        if (mode == Mode.History)
        {
            if (SourcePathOf(file) is not { } p) return 1;
            int listed = past.History(p, output, errors);
            if (listed == 0 && past.NotMounted is { } note) errors.WriteLine($"yesterday: note: {note}");
            return listed;
        }
        if (Resolve(file, choice, now) is not { } old) return 1;
        byte[] shown = past.InMount(old.Snapshot, old.Path);
        byte[] exact = past.Exact(old.Snapshot, old.Path);
        switch (mode)
        {
            case Mode.Print:
                output.WriteLine(PathBytes.Quoted(shown));
                if (past.NotMounted is { } note) errors.WriteLine($"yesterday: note: {note}");
                return 0;
            case Mode.Diff:
                if (old.Node.Kind is not (FileKind.Regular or FileKind.Symlink))
                {
                    errors.WriteLine($"yesterday: {old.Shown} is a {Kind(old.Node)} in snapshot {old.Snapshot.Name}; {(old.Node.Kind == FileKind.Directory ? "use -D" : "there is nothing to diff")}");
                    return 1;
                }
                using (var temp = new PrivateTemp())
                {
                    string before = past.Mounted ? ProcessPath(exact, temp, "exact") : Extract(old.Node, temp["old"]);
                    return Run("diff", ["-u", "--label", PathBytes.Quoted(shown), "--label", old.Shown, before, ProcessPath(old.Path, temp, "now")]);
                }
            case Mode.DiffTree:
                using (var temp = new PrivateTemp())
                {
                    string current = ProcessPath(old.Path, temp, "now");
                    if (past.Mounted) return Run("diff", ["-ru", ProcessPath(exact, temp, "exact"), current]);
                    string copy = temp["old"];
                    if (!Restore(old.Node, copy, new RestoreOptions { KeepBackup = false, SetOwners = Environment.IsPrivilegedProcess })) return 2;
                    return Run("diff", ["-ru", copy, current], (copy, PathBytes.Quoted(shown))); // the old side is named by its snapshot path, not the scratch copy's
                }
            case Mode.Copy:
            case Mode.CopyIfDiffers:
                if (past.WouldRecord is null && old.Node.Kind == FileKind.Directory)
                    errors.WriteLine($"yesterday: note: what the sources exclude is not known here (read through the mount, or another host's snapshot): {old.Shown} is merged, not rolled back (entries made since stay)");
                var actions = Restorer.Restore(past.Source, old.Node, old.Path, new RestoreOptions
                {
                    KeepBackup = !noBackup, OnlyIfDifferent = mode == Mode.CopyIfDiffers,
                    RemoveExtra = past.WouldRecord is not null, MayRemove = past.WouldRecord,
                    SetOwners = Environment.IsPrivilegedProcess,
                }, m => errors.WriteLine($"yesterday: {m}"));
                foreach (var a in actions.Where(a => a.Kind is RestoreAction.Create or RestoreAction.Replace or RestoreAction.Remove))
                {
                    string path = PathBytes.Quoted(PathBytes.FromDisplay(a.Path));
                    output.WriteLine(a.Kind == RestoreAction.Remove ? $"remove {path} ({a.Detail})" : $"{a.Kind} {path}");
                }
                return Restorer.AnyFailed(actions) ? 1 : 0;
            default:
                return 1;
        }
    }

    /// <summary>-b: every file's old version bound over it, then the command run once, in one private mount namespace.</summary>
    private int Bind(IReadOnlyList<string> files, SnapshotChoice choice, DateTimeOffset now, string[] command)
    {
        using var temp = new PrivateTemp();
        var pairs = new List<string>();
        foreach (var file in files)
        {
            if (Resolve(file, choice, now) is not { } old) return 1;
            if (!PosixFs.TryLStat(old.Path, out _))
            {
                errors.WriteLine($"yesterday: {old.Shown} does not exist now; -b binds the old version over an existing file");
                return 1;
            }
            string source;
            if (past.Mounted) source = ProcessPath(past.Exact(old.Snapshot, old.Path), temp, $"exact{pairs.Count}");
            else
            {
                source = temp[pairs.Count.ToString()];
                if (!Restore(old.Node, source, new RestoreOptions { KeepBackup = false, SetOwners = Environment.IsPrivilegedProcess })) return 1;
            }
            pairs.Add(source);
            pairs.Add(ProcessPath(old.Path, temp, $"now{pairs.Count}"));
        }
        // Root makes the namespace directly; anyone else through a user namespace of their own (the command then runs as its root).
        string[] unshare = Environment.IsPrivilegedProcess ? ["--mount", "--propagation", "private"] : ["--user", "--map-root-user", "--mount", "--propagation", "private"];
        return Run("unshare", [.. unshare, "sh", "-c", BindScript, "sh", .. pairs, "--", .. command]);
    }

    // The path's old version in the chosen snapshot, or null after saying why.
    private Old? Resolve(string file, SnapshotChoice choice, DateTimeOffset now)
    {
        if (SourcePathOf(file) is not { } path) return null;
        var snap = choice.Pick(past.Snapshots, now, past.Zone);
        if (past.Find(snap, path) is { } node) return new Old(path, snap, node);
        errors.WriteLine($"yesterday: {PathBytes.Quoted(path)} does not exist in snapshot {snap.Name}");
        return null;
    }

    // The absolute path the snapshots record for what the user typed (its bytes, PathArgument's rule for an escaped
    // spelling: only when the name as typed is neither a file now nor in a snapshot); null (after saying so) outside
    // every source.
    private byte[]? SourcePathOf(string file)
    {
        byte[] cwd = PathArgument.CurrentDirectory();
        var readings = PathArgument.Readings(CommandLineBytes.Bytes(file))
            .Select(t => (Path: SnapshotPaths.SourcePath(t, cwd, past.SnapshotsDirectory, past.Covers, out bool covered), Covered: covered)).ToList();
        var chosen = PathArgument.Choose(readings.Select(r => r.Path).ToList(), p => PosixFs.TryLStat(p, out _) || past.InSomeSnapshot(p));
        if (readings.First(r => r.Path == chosen).Covered) return chosen;
        errors.WriteLine(past.Sources is { } sources
            ? $"yesterday: {PathBytes.Quoted(chosen)} is outside every source; the sources are {string.Join(", ", sources)}"
            : $"yesterday: {PathBytes.Quoted(chosen)} is in no snapshot in {past.MountPoint}");
        return null;
    }

    /// <summary>
    /// A path to hand to another program (diff, mount): as text when it is UTF-8; else a symlink to it in the private
    /// directory, since a program's arguments can only be passed as text from here. diff and mount follow it.
    /// </summary>
    private static string ProcessPath(byte[] path, PrivateTemp temp, string name)
    {
        try { return new System.Text.UTF8Encoding(false, true).GetString(path); }
        catch (System.Text.DecoderFallbackException)
        {
            string link = temp[name];
            PosixFs.Symlink(path, PathBytes.From(link));
            return link;
        }
    }

    private bool Restore(Node node, string destination, RestoreOptions options)
    {
        var actions = Restorer.Restore(past.Source, node, PathBytes.From(destination), options, m => errors.WriteLine($"yesterday: {m}"));
        return !Restorer.AnyFailed(actions);
    }

    // A regular file's data (or a symlink's target) as a 0600 file in the private directory, for diff.
    private string Extract(Node node, string file)
    {
        var bytes = PathBytes.From(file);
        using var handle = PosixFs.CreateWrite(bytes, 0x180, exclusive: true);
        if (node.Kind == FileKind.Regular)
        {
            past.Source.WriteContent(node, handle);
            PosixFs.Truncate(handle, node.Content.Length, bytes);
        }
        else RandomAccess.Write(handle, node.LinkTarget ?? [], 0);
        return file;
    }

    private static string Kind(Node n) => n.Kind.ToString().ToLowerInvariant();

    /// <summary>
    /// Runs a program and returns its status. Ctrl-C reaches it (the whole foreground group gets it) and yesterday
    /// waits for it, so the private directory is still removed. `rename` replaces a path in its standard output.
    /// </summary>
    private int Run(string program, string[] args, (string From, string To)? rename = null)
    {
        var psi = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = rename is not null };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => c.Cancel = true);
        using var quit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, c => c.Cancel = true);
        output.Flush();
        using var p = Process.Start(psi) ?? throw new IOException($"cannot run {program}");
        if (rename is { } r) OutputLines.Replace(p.StandardOutput.BaseStream, PathBytes.From(r.From), PathBytes.From(r.To));
        p.WaitForExit();
        return p.ExitCode;
    }
}
