// `timetravel history PATH [--diff] [--json]`: every distinct version of a file (or directory) across the
// snapshots, oldest first: when, where to find it in the mount (wherever this store is mounted), size, owner and
// what changed. Also finds the versions of a file that no longer exists. PATH may be a path inside the mount.
// --diff shows `diff -u` between adjacent versions of a regular file.
using System.CommandLine;
using System.Diagnostics;
using TimeTravel.Cli.Output;
using TimeTravel.Store;
using TimeTravel.Store.Naming;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.History;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;

namespace TimeTravel.Cli.Commands;

public static class HistoryCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = "The file or directory (absolute, or relative to the current directory)" };
        var diff = new Option<bool>("--diff") { Description = "Show diff -u between adjacent versions of a regular file" };
        var json = CommonOptions.Json();
        var cmd = new Command("history", "List every distinct version of a file across the snapshots") { path, diff, json };
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            using var repo = Repository.OpenReader(r.GetValue(CommonOptions.Store)!);
            var (mountPoint, mounted) = MountLocator.Find(repo.Layout.Root);
            var sources = repo.Catalog.Sources().Select(s => s.Path).ToList();
            byte[] cwd = PathArgument.CurrentDirectory();
            var readings = PathArgument.Readings(CommandLineBytes.Bytes(r.GetValue(path)!))
                .Select(t => SnapshotPaths.SourcePath(t, cwd, mountPoint, p => sources.Any(s => SnapshotPaths.IsUnder(p, s)), out _)).ToList();
            byte[] bytes = PathArgument.Choose(readings, p => PosixFs.TryLStat(p, out _) || PathArguments.InSomeSnapshot(repo, p));
            string display = PathBytes.Quoted(bytes);
            var snapshots = repo.OwnSnapshots(); // a path's history on this host (another host's /etc/fstab is another file)
            if (snapshots.Count == 0) throw new StoreException($"{repo.Layout.Root}: the store has no snapshots yet; take one with `timetravel snapshot`");
            var versions = FileHistory.Of(repo).Versions(snapshots, bytes);
            if (versions.Count == 0)
            {
                Console.Error.WriteLine($"timetravel: {display}: in none of the {snapshots.Count} snapshots (from {snapshots[0].Name} to {snapshots[^1].Name})");
                return CommonOptions.Failed;
            }
            // Not mounted: no path exists to print; SNAPSHOT:PATH instead, and a note saying how to mount.
            string ownDirectory = HostNames.MountDirectory(mountPoint, repo.HostName, HostNames.Many(repo.Catalog.Snapshots()));
            byte[] Where(SnapshotRecord s) => mounted ? SnapshotPaths.InMount(ownDirectory, s.Name, bytes) : SnapshotPaths.Label(s.Name, bytes);
            string InMount(SnapshotRecord snapshot) => PathBytes.Quoted(Where(snapshot));
            if (!mounted) Console.Error.WriteLine($"timetravel: note: {MountLocator.NotMounted(repo.Layout.Root)}");
            if (r.GetValue(json)) { WriteJson(versions, mounted ? s => PathBytes.Display(Where(s)) : null); return CommonOptions.Ok; }
            Console.WriteLine($"{"TIME",-26} {"SIZE",10} {"OWNER",-11} {"CHANGE",-18} PATH");
            for (int i = 0; i < versions.Count; i++)
            {
                var v = versions[i];
                var n = v.Node;
                Console.WriteLine($"{v.Snapshot.Time:yyyy-MM-dd HH:mm:ss zzz} {(n is null ? "-" : Human.Bytes(n.Size)),10} {(n is null ? "-" : $"{n.Uid}:{n.Gid}"),-11} " +
                    $"{string.Join(",", VersionChanges.Words(v.Changes)),-18} {(n is null ? "(deleted)" : InMount(v.Snapshot))}");
                if (r.GetValue(diff) && i > 0 && versions[i - 1].Node is { Kind: FileKind.Regular } before && n is { Kind: FileKind.Regular }
                    && v.Changes.HasFlag(VersionChange.Content))
                    Console.Write(Diff(repo, before, InMount(versions[i - 1].Snapshot), n, InMount(v.Snapshot)));
            }
            return CommonOptions.Ok;
        }));
        return cmd;
    }

    private static void WriteJson(IReadOnlyList<FileVersion> versions, Func<SnapshotRecord, string>? inMount) => JsonOut.Write(w =>
    {
        w.WriteStartArray();
        foreach (var v in versions)
        {
            w.WriteStartObject();
            w.WriteString("snapshot", v.Snapshot.Name);
            JsonOut.Time(w, "time", v.Snapshot.Time);
            w.WriteString("lastSeen", v.LastSeen.Name);
            w.WriteStartArray("changes");
            foreach (var word in VersionChanges.Words(v.Changes)) w.WriteStringValue(word);
            w.WriteEndArray();
            w.WriteBoolean("exists", v.Node is not null);
            if (v.Node is { } n)
            {
                if (inMount is not null) w.WriteString("path", inMount(v.Snapshot)); // only where the store is mounted
                w.WriteString("type", n.Kind.ToString().ToLowerInvariant());
                w.WriteNumber("size", n.Size);
                w.WriteNumber("mode", n.Mode); w.WriteNumber("uid", n.Uid); w.WriteNumber("gid", n.Gid);
                w.WriteNumber("mtimeNs", n.MTimeNs);
                if (n.Kind == FileKind.Regular) w.WriteString("content", n.Content.Root.ToString());
                if (n.LinkTarget != null) w.WriteString("target", PathBytes.Display(n.LinkTarget));
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    /// <summary>diff -u of two stored files, extracted to temporary files that are removed afterwards.</summary>
    private static string Diff(Repository repo, Node before, string beforeLabel, Node after, string afterLabel)
    {
        string dir = Directory.CreateTempSubdirectory("timetravel-history-").FullName;
        try
        {
            string a = Extract(repo, before, Path.Combine(dir, "a")), b = Extract(repo, after, Path.Combine(dir, "b"));
            var psi = new ProcessStartInfo("diff") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "-u", "--label", beforeLabel, "--label", afterLabel, a, b }) psi.ArgumentList.Add(arg);
            using var p = Process.Start(psi) ?? throw new IOException("cannot run diff");
            var err = p.StandardError.ReadToEndAsync();
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode > 1) throw new IOException($"diff failed: {err.Result.Trim()}");
            return output;
        }
        catch (System.ComponentModel.Win32Exception e) { throw new IOException($"cannot run diff: {e.Message}"); }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private static string Extract(Repository repo, Node node, string file)
    {
        using var f = new FileStream(file, FileMode.CreateNew, FileAccess.Write);
        repo.Trees.Streams.CopyTo(node.Content, f);
        f.SetLength(node.Content.Length);
        return file;
    }
}
