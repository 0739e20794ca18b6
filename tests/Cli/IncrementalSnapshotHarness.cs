// Support for the incremental-snapshot tests: a sandbox on an ext4 filesystem of its own (markable by fanotify, and
// free of other processes' events) holding a source and a store, the real `timetravel` run as child processes (including the `track` daemon, stopped by pid), snapshot
// comparison helpers, and a random mutator of a tree that works on raw byte paths (names need not be UTF-8).
// Everything it starts or creates is removed in Dispose, also after a failed assertion.
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using TimeTravel.Store;
using TimeTravel.Store.Posix;

namespace TimeTravel.Tests.Cli.IncrementalSnapshots;

public sealed record IncrCliResult(int ExitCode, byte[] StdoutBytes, string Stderr)
{
    public string Stdout => Encoding.UTF8.GetString(StdoutBytes);
    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>One snapshot as `snapshot --json` / `list --json` describe it.</summary>
public sealed record IncrSnapshotInfo(string Name, string Root, string Method, string Reason, bool Complete, long DurationMs, long ChangedPaths)
{
    public static IncrSnapshotInfo Parse(JsonElement e) => new(
        e.GetProperty("name").GetString()!, e.GetProperty("root").GetString()!, e.GetProperty("method").GetString()!,
        e.TryGetProperty("reason", out var r) ? r.GetString() ?? "" : "", e.GetProperty("complete").GetBoolean(),
        e.GetProperty("durationMs").GetInt64(), e.TryGetProperty("changedPaths", out var c) ? c.GetInt64() : -1);

    public override string ToString() => $"{Name} {Method}: {Reason}";
}

public sealed class IncrementalSnapshotSandbox : IDisposable
{
    private static string[] Command => Support.TimeTravelCli.Command;

    public string Base { get; }
    public string Source { get; }
    public string Store { get; }
    private readonly List<TrackerProcess> _trackers = [];
    private readonly HashSet<string> _journalIds = [];

    private readonly string _image;
    private bool _mounted;

    /// <summary>
    /// The sandbox is a fresh ext4 filesystem of its own (a sparse image, loop-mounted on <see cref="Base"/>): the
    /// tracker marks whole filesystems, and on the shared root filesystem other processes' files (hard-linked ones
    /// make the sources incomplete) would decide which method a snapshot uses.
    /// </summary>
    public IncrementalSnapshotSandbox() : this(1L << 30) { }

    /// <param name="imageBytes">The filesystem's size (the image is sparse).</param>
    /// <param name="mkfsArgs">More options for mkfs.ext4: a tree of many small files wants 1 KiB blocks and more inodes.</param>
    public IncrementalSnapshotSandbox(long imageBytes, params string[] mkfsArgs)
    {
        Base = Path.Combine("/var/tmp", "tt-incr-" + Guid.NewGuid().ToString("N")[..12]);
        _image = Base + ".img";
        Source = Path.Combine(Base, "src");
        Store = Path.Combine(Base, "store");
        try
        {
            Directory.CreateDirectory(Base);
            using (var f = File.Create(_image)) f.SetLength(imageBytes);
            Run("mkfs.ext4", ["-q", "-F", .. mkfsArgs, _image]);
            Run("mount", "-o", "loop", _image, Base);
            _mounted = true;
            Directory.CreateDirectory(Source);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private static void Run(string file, params string[] args) => Shell.Run(file, args);

    public byte[] SourceBytes => PathBytes.From(Source);

    /// <summary>
    /// A sandbox with src/a/file.txt ("one") and src/a/b/other.txt ("two"), initialised (with <paramref name="initArgs"/>),
    /// a tracker running, a first snapshot (a walk) and a second one the journal vouched for.
    /// </summary>
    public static IncrementalSnapshotSandbox Prepared(out TrackerProcess tracker, params string[] initArgs)
    {
        var box = new IncrementalSnapshotSandbox();
        try
        {
            Directory.CreateDirectory(Path.Combine(box.Source, "a", "b"));
            File.WriteAllText(Path.Combine(box.Source, "a", "file.txt"), "one");
            File.WriteAllText(Path.Combine(box.Source, "a", "b", "other.txt"), "two");
            box.Init(initArgs);
            tracker = box.StartTracker();
            var first = box.Snapshot();
            if (first.Method != "walk") throw new Xunit.Sdk.XunitException($"first snapshot: {first}");
            File.AppendAllText(Path.Combine(box.Source, "a", "file.txt"), " more");
            var second = box.Snapshot();
            if (second.Method != "journal") throw new Xunit.Sdk.XunitException($"with a tracker running throughout: {second}");
            return box;
        }
        catch
        {
            box.Dispose();
            throw;
        }
    }

    public IncrCliResult Cli(params string[] args)
    {
        var psi = new ProcessStartInfo(Command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in Command[1..]) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("--store");
        psi.ArgumentList.Add(Store);
        foreach (var a in args) psi.ArgumentList.Add(a);
        Environment(psi);
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = Task.Run(() => { var m = new MemoryStream(); p.StandardOutput.BaseStream.CopyTo(m); return m.ToArray(); });
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000))
        {
            Support.TimeTravelCli.Signal(p.Id, "KILL");
            throw new TimeoutException($"timetravel {string.Join(' ', args)} did not finish in 120 s");
        }
        p.WaitForExit();
        return new IncrCliResult(p.ExitCode, stdout.Result, stderr.Result);
    }

    private static void Environment(ProcessStartInfo psi)
    {
        psi.Environment.Remove("TIMETRAVEL_STORE");
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["TERM"] = "dumb";
    }

    public string Journal => Path.Combine(Store, "journal");

    /// <summary>`timetravel init SOURCE ARGS...` (e.g. --exclude PATTERN).</summary>
    public void Init(params string[] args) => Init(Source, args);

    public void Init(string source, params string[] args)
    {
        var r = Cli(["init", source, .. args]);
        if (r.ExitCode != 0) throw new InvalidOperationException("init failed: " + r);
    }

    /// <summary>Takes a snapshot (exit 0 required) and returns what `snapshot --json` printed.</summary>
    public IncrSnapshotInfo Snapshot(bool full = false, params string[] args)
    {
        var r = Cli(["snapshot", "--json", .. full ? new[] { "--full" } : [], .. args]);
        if (r.ExitCode != 0) throw new InvalidOperationException("snapshot failed: " + r);
        using var doc = JsonDocument.Parse(r.StdoutBytes);
        return IncrSnapshotInfo.Parse(doc.RootElement);
    }

    /// <summary>
    /// A snapshot that only absorbs the events of changes made just before the previous cut: the tracker may journal
    /// them after that cut (in its confirmation window), which is the next interval too. Tests that need the next
    /// interval to hold only their own changes take one of these first.
    /// </summary>
    public IncrSnapshotInfo Absorb() => Snapshot();

    /// <summary>
    /// Takes a `--full` snapshot and asserts that <paramref name="s"/> recorded the same tree under every source
    /// (compared below the source roots: other processes may touch /var/tmp between the two snapshots).
    /// </summary>
    public void AssertSameAsFullWalk(IncrSnapshotInfo s, params string[] sources)
    {
        var full = Snapshot(full: true);
        foreach (var source in sources.Length == 0 ? [Source] : sources)
        {
            if (SourceNodeOf(s.Name, source) == SourceNodeOf(full.Name, source)) continue;
            throw new Xunit.Sdk.XunitException($"{s} recorded {source} unlike --full {full.Name}:\n" +
                Diff(ListRecursive(s.Name), ListRecursive(full.Name)));
        }
    }

    public List<IncrSnapshotInfo> List()
    {
        var r = Cli("list", "--json");
        if (r.ExitCode != 0) throw new InvalidOperationException("list failed: " + r);
        using var doc = JsonDocument.Parse(r.StdoutBytes);
        return doc.RootElement.EnumerateArray().Select(IncrSnapshotInfo.Parse).ToList();
    }

    /// <summary>`ls -R --json` of a whole snapshot, one line per entry, for diffs.</summary>
    public List<string> ListRecursive(string snapshot)
    {
        var r = Cli("ls", "-R", "--json", snapshot, "/");
        if (r.ExitCode != 0) return [$"(ls failed: {r})"];
        using var doc = JsonDocument.Parse(r.StdoutBytes);
        return doc.RootElement.EnumerateArray().Select(e => e.GetRawText()).ToList();
    }

    /// <summary>The recorded source root (metadata and content score), read in process.</summary>
    public string SourceNodeOf(string snapshot, string? source = null)
    {
        using var repo = Repository.OpenReader(Store);
        var snap = repo.FindSnapshot(snapshot);
        var node = repo.Trees.Resolve(snap.Root, PathBytes.Components(PathBytes.From(source ?? Source)));
        return node is null ? "(missing)"
            : $"{node.Kind} {Convert.ToString(node.Mode, 8)} {node.Uid}:{node.Gid} m{node.MTimeNs} c{node.CTimeNs} {node.Content}";
    }

    /// <summary>Lines of `a` missing from `b` (prefixed -) and of `b` missing from `a` (+).</summary>
    public static string Diff(List<string> a, List<string> b)
    {
        var sb = new StringBuilder();
        var sa = a.ToHashSet();
        var sbb = b.ToHashSet();
        foreach (var l in a.Where(l => !sbb.Contains(l))) sb.AppendLine("- " + l);
        foreach (var l in b.Where(l => !sa.Contains(l))) sb.AppendLine("+ " + l);
        return sb.Length == 0 ? "(listings equal: the difference is in file content or xattrs)" : sb.ToString();
    }

    /// <summary>What a snapshot recorded at <paramref name="path"/> (a regular file), read in process.</summary>
    public string ContentOf(string snapshot, string path)
    {
        using var repo = Repository.OpenReader(Store);
        var node = repo.Trees.Resolve(repo.FindSnapshot(snapshot).Root, PathBytes.Components(PathBytes.From(path)))
            ?? throw new Xunit.Sdk.XunitException($"{path} is not in snapshot {snapshot}");
        return Encoding.UTF8.GetString(repo.Trees.Streams.ReadAll(node.Content));
    }

    /// <summary>Starts `timetravel track` and waits until it has journalled its start.</summary>
    /// <param name="environment">Variables to set for it (e.g. TIMETRAVEL_BPF_OBJECT).</param>
    public TrackerProcess StartTracker(IReadOnlyDictionary<string, string>? environment = null, params string[] args)
    {
        var psi = new ProcessStartInfo(Command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in Command[1..]) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("--store");
        psi.ArgumentList.Add(Store);
        psi.ArgumentList.Add("track");
        foreach (var a in args) psi.ArgumentList.Add(a);
        Environment(psi);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        var t = new TrackerProcess(Process.Start(psi)!);
        _trackers.Add(t);
        t.WaitUntilWatching(TimeSpan.FromSeconds(30));
        NoteJournalId();
        return t;
    }

    // The journal's id names the range tracker's pin directory (see Dispose).
    private void NoteJournalId()
    {
        string idFile = Path.Combine(Journal, "id");
        if (File.Exists(idFile)) _journalIds.Add(File.ReadAllText(idFile).Trim());
    }

    /// <summary>Unmounts what a test mounted under <see cref="Base"/>, also when it failed (see <see cref="Dispose"/>).</summary>
    public List<string> Mounts { get; } = [];

    public void Dispose()
    {
        foreach (var t in _trackers) t.Dispose();
        // The range tracker keeps its maps pinned across restarts of `track`; a test's store goes, so do they: those
        // of every journal a tracker ran on (a test may reset the journal, which gives it a new id).
        NoteJournalId();
        foreach (var id in _journalIds)
        {
            try { global::TimeTravel.Kernel.Ranges.RangeMaps.DeletePins(global::TimeTravel.Kernel.Ranges.RangePins.For(id)); }
            catch (IOException) { }
        }
        foreach (var m in Mounts.Append(_mounted ? Base : null).OfType<string>())
        {
            try { Run("umount", m); }
            catch (InvalidOperationException) { try { Run("umount", "-l", m); } catch (InvalidOperationException) { } }
        }
        if (Directory.Exists(Base))
        {
            // rm copes with non-UTF-8 names and modes that .NET's recursive delete trips over; it stays on this
            // filesystem in case an unmount failed.
            using var rm = Process.Start(new ProcessStartInfo("rm") { ArgumentList = { "-rf", "--one-file-system", "--", Base } })!;
            rm.WaitForExit();
        }
        File.Delete(_image);
    }
}

/// <summary>A running `timetravel track`, stopped by its pid (SIGTERM for a clean stop, SIGKILL for a crash).</summary>
public sealed class TrackerProcess : IDisposable
{
    private readonly Process _p;
    private readonly StringBuilder _log = new();

    internal TrackerProcess(Process p)
    {
        _p = p;
        _p.StandardInput.Close();
        _p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _p.BeginErrorReadLine();
        _p.BeginOutputReadLine();
    }

    public int Pid => _p.Id;
    public string Log { get { lock (_log) return _log.ToString(); } }

    internal void WaitUntilWatching(TimeSpan timeout) => WaitForLog("timetravel track: watching", 1, timeout);

    /// <summary>Waits until the tracker's log holds <paramref name="text"/> at least <paramref name="times"/> times.</summary>
    public void WaitForLog(string text, int times, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (CountInLog(text) < times)
        {
            if (_p.HasExited || DateTime.UtcNow > deadline)
            {
                Stop("KILL");
                throw new InvalidOperationException($"the tracker's log never held \"{text}\" {times} time(s): " + Log);
            }
            Thread.Sleep(50);
        }
    }

    public int CountInLog(string text)
    {
        var log = Log;
        int n = 0;
        for (int at = log.IndexOf(text, StringComparison.Ordinal); at >= 0; at = log.IndexOf(text, at + 1, StringComparison.Ordinal)) n++;
        return n;
    }

    /// <summary>Sends the signal and waits for the process to end.</summary>
    public void Stop(string signal = "TERM")
    {
        if (_p.HasExited) return;
        Support.TimeTravelCli.Signal(_p.Id, signal);
        if (!_p.WaitForExit(15_000))
        {
            Support.TimeTravelCli.Signal(_p.Id, "KILL");
            _p.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        try { Stop("KILL"); } catch (InvalidOperationException) { }
        _p.Dispose();
    }
}

/// <summary>
/// Random changes to one seed's subtree (<c>top</c>), on raw byte paths, each logged in a replayable form. Besides the
/// tree itself it moves things across the source boundary (to and from <c>outside</c>, a sibling of the source) and
/// touches excluded paths ("cache" directories and "*.tmp" names). With <c>hardLinks</c> false it never involves a
/// hard-linked file (there are some, left untouched), so the journal must vouch for the round; with it true it also
/// links (inside the subtree, to the outside, to excluded names), writes through other names, and may move the
/// source root away and back, and <see cref="Expect"/> collects the reasons a snapshot may then fall back to a walk.
/// </summary>
public sealed class RandomTreeMutator(Random rng, byte[] top, byte[] sourceRoot, byte[] outside, bool hardLinks, List<string> log)
{
    private static readonly byte[][] NameStems =
    [
        "f"u8.ToArray(), "g"u8.ToArray(), "dir"u8.ToArray(), "x y"u8.ToArray(), "ü"u8.ToArray(),
        [(byte)'c', (byte)'a', (byte)'f', 0xe9],       // Latin-1 "café": not UTF-8
        [0xff, 0xfe, (byte)'n'],                        // never valid UTF-8
        "n\nl"u8.ToArray(),
    ];

    /// <summary>The exclude patterns the source is initialised with: names this mutator uses for excluded paths.</summary>
    public static readonly string[] Excludes = ["cache", "*.tmp"];

    private static readonly uint[] Ids = [0, 1000, 65534];

    /// <summary>Words a walk's reason may contain in this round ("hard", "source root"); empty: the journal must vouch.</summary>
    public HashSet<string> Expect { get; } = [];

    // --- libc calls .NET has no byte-path form of ---
    [DllImport("libc", SetLastError = true)] private static extern int open(byte[] path, int flags, uint mode);
    [DllImport("libc", SetLastError = true)] private static extern nint pwrite(int fd, byte[] buf, nint count, long offset);
    [DllImport("libc", SetLastError = true)] private static extern int close(int fd);
    [DllImport("libc", SetLastError = true)] private static extern int truncate(byte[] path, long length);
    private const int O_WRONLY = 1, O_APPEND = 0x400, O_NOFOLLOW = 0x20000;

    private static byte[] C(byte[] p) => [.. p, 0];

    private void Log(string op, params byte[][] paths) =>
        log.Add(op + " " + string.Join(" ", paths.Select(p => "'" + PathBytes.Display(p).Replace("\n", "\\n") + "'")));

    public sealed record Entry(byte[] Path, FileKind Kind, ulong Links);

    public static List<Entry> Scan(byte[] root)
    {
        var all = new List<Entry>();
        void Walk(byte[] dir)
        {
            var names = PosixFs.ReadDirectory(dir);
            names.Sort((a, b) => a.Name.AsSpan().SequenceCompareTo(b.Name));
            foreach (var n in names)
            {
                var p = PathBytes.Join(dir, n.Name);
                if (!PosixFs.TryLStat(p, out var st)) continue;
                all.Add(new Entry(p, st.Kind, st.Links));
                if (st.Kind == FileKind.Directory) Walk(p);
            }
        }
        if (PosixFs.TryLStat(root, out _)) Walk(root);
        return all;
    }

    private static bool HasLinks(byte[] path)
    {
        if (!PosixFs.TryLStat(path, out var st)) return false;
        if (st.Kind != FileKind.Directory) return st.Links > 1;
        return Scan(path).Any(e => e.Kind != FileKind.Directory && e.Links > 1);
    }

    /// <summary>May an operation on these paths go ahead? In plain rounds not if one is (or holds) a hard-linked file.</summary>
    private bool Involve(params byte[][] paths)
    {
        if (!paths.Any(HasLinks)) return true;
        if (!hardLinks) return false;
        Expect.Add("hard");
        return true;
    }

    private byte[] NewName(byte[] dir)
    {
        while (true)
        {
            var stem = NameStems[rng.Next(NameStems.Length)];
            byte[] name = [.. stem, .. Encoding.ASCII.GetBytes(rng.Next(40).ToString())];
            var p = PathBytes.Join(dir, name);
            if (!PosixFs.TryLStat(p, out _)) return p;
        }
    }

    private byte[] RandomBytes(int max)
    {
        var b = new byte[rng.Next(max + 1)];
        rng.NextBytes(b);
        return b;
    }

    private void WriteAt(byte[] path, byte[] data, long offset, bool append)
    {
        int fd = open(C(path), O_WRONLY | O_NOFOLLOW | (append ? O_APPEND : 0), 0);
        if (fd < 0) throw new InvalidOperationException($"open {PathBytes.Display(path)}: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            if (data.Length > 0 && pwrite(fd, data, data.Length, offset) != data.Length)
                throw new InvalidOperationException($"write {PathBytes.Display(path)}: errno {Marshal.GetLastPInvokeError()}");
        }
        finally { close(fd); }
    }

    private void CreateFile(byte[] path, int maxSize = 3000)
    {
        using (var h = PosixFs.CreateWrite(path, 0x1A4 /* 0644 */, exclusive: true))
        {
            var data = RandomBytes(maxSize);
            if (data.Length > 0) RandomAccess.Write(h, data, 0);
        }
    }

    private static void RemoveTree(byte[] path)
    {
        if (!PosixFs.TryLStat(path, out var st)) return;
        if (st.Kind != FileKind.Directory) { PosixFs.Unlink(path); return; }
        foreach (var n in PosixFs.ReadDirectory(path)) RemoveTree(PathBytes.Join(path, n.Name));
        PosixFs.RemoveDirectory(path);
    }

    /// <summary>
    /// A fresh subtree for a seed: nested directories with files and symlinks, two hard links, and excluded paths
    /// (a "cache" directory with a file, a "*.tmp" file).
    /// </summary>
    public void Populate(int files)
    {
        PosixFs.MakeDirectory(top, 0x1ED /* 0755 */);
        Log("mkdir", top);
        var dirs = new List<byte[]> { top };
        for (int i = 0; i < 5; i++)
        {
            var d = NewName(dirs[rng.Next(dirs.Count)]);
            PosixFs.MakeDirectory(d, 0x1ED /* 0755 */);
            Log("mkdir", d);
            dirs.Add(d);
        }
        var made = new List<byte[]>();
        for (int i = 0; i < files; i++)
        {
            var f = NewName(dirs[rng.Next(dirs.Count)]);
            CreateFile(f);
            Log("create", f);
            made.Add(f);
        }
        for (int i = 0; i < 2; i++)
        {
            var l = NewName(dirs[rng.Next(dirs.Count)]);
            var target = made[rng.Next(made.Count)];
            PosixFs.Symlink(target, l);
            Log("symlink", target, l);
        }
        for (int i = 0; i < 2; i++)
        {
            var l = NewName(dirs[rng.Next(dirs.Count)]);
            var target = made[rng.Next(made.Count)];
            PosixFs.HardLink(target, l);
            Log("link", target, l);
        }
        var cache = PathBytes.Join(dirs[rng.Next(dirs.Count)], "cache"u8);
        PosixFs.MakeDirectory(cache, 0x1ED);
        CreateFile(PathBytes.Join(cache, "c1"u8));
        var tmp = PathBytes.Join(dirs[rng.Next(dirs.Count)], "t1.tmp"u8);
        CreateFile(tmp);
        Log("create (excluded)", PathBytes.Join(cache, "c1"u8), tmp);
    }

    /// <summary>Performs one random operation; returns false when none applied (nothing suitable, or not allowed).</summary>
    public bool Step()
    {
        var all = Scan(top);
        var files = all.Where(e => e.Kind == FileKind.Regular).ToList();
        var dirs = all.Where(e => e.Kind == FileKind.Directory).Select(e => e.Path).Prepend(top).ToList();
        var nonDirs = all.Where(e => e.Kind != FileKind.Directory).ToList();
        byte[] AnyDir() => dirs[rng.Next(dirs.Count)];
        int op = rng.Next(hardLinks ? 27 : 24);
        switch (op)
        {
            case 0 or 1 or 2: { var p = NewName(AnyDir()); CreateFile(p); Log("create", p); return true; }
            case 3 or 4:
            {
                if (files.Count == 0) return false;
                var f = files[rng.Next(files.Count)].Path;
                if (!Involve(f)) return false;
                var st = PosixFs.LStat(f);
                var data = RandomBytes(200);
                long off = st.Size == 0 ? 0 : rng.NextInt64(st.Size);
                WriteAt(f, data, off, append: false);
                Log($"write@{off}+{data.Length}", f);
                return true;
            }
            case 5:
            {
                if (files.Count == 0) return false;
                var f = files[rng.Next(files.Count)].Path;
                if (!Involve(f)) return false;
                var data = RandomBytes(500);
                WriteAt(f, data, 0, append: true);
                Log($"append+{data.Length}", f);
                return true;
            }
            case 6:
            {
                if (files.Count == 0) return false;
                var f = files[rng.Next(files.Count)].Path;
                if (!Involve(f)) return false;
                long len = rng.NextInt64(PosixFs.LStat(f).Size + 1) / 2;
                if (truncate(C(f), len) != 0) throw new InvalidOperationException("truncate errno " + Marshal.GetLastPInvokeError());
                Log($"truncate@{len}", f);
                return true;
            }
            case 7 or 8:
            {
                if (nonDirs.Count == 0) return false;
                var f = nonDirs[rng.Next(nonDirs.Count)].Path;
                if (!Involve(f)) return false;
                var to = NewName(AnyDir());
                PosixFs.Rename(f, to);
                Log("rename", f, to);
                return true;
            }
            case 9:
            {
                var movable = dirs.Skip(1).ToList();
                if (movable.Count == 0) return false;
                var d = movable[rng.Next(movable.Count)];
                if (!Involve(d)) return false;
                var targets = dirs.Where(t => !PathBytes.IsWithin(t, d)).ToList();
                var to = NewName(targets[rng.Next(targets.Count)]);
                PosixFs.Rename(d, to);
                Log("rename-dir", d, to);
                return true;
            }
            case 10:
            {
                if (files.Count < 2) return false;
                var a = files[rng.Next(files.Count)].Path;
                var b = files[rng.Next(files.Count)].Path;
                if (a.AsSpan().SequenceEqual(b) || !Involve(a, b)) return false;
                PosixFs.Rename(a, b);
                Log("rename-over", a, b);
                return true;
            }
            case 11:
            {
                if (nonDirs.Count == 0) return false;
                var f = nonDirs[rng.Next(nonDirs.Count)].Path;
                if (!Involve(f)) return false;
                PosixFs.Unlink(f);
                Log("rm", f);
                return true;
            }
            case 12:
            {
                var candidates = dirs.Skip(1).ToList();
                if (candidates.Count == 0 || rng.Next(2) == 0) return false;   // rarer than the others
                var d = candidates[rng.Next(candidates.Count)];
                if (!Involve(d)) return false;
                RemoveTree(d);
                Log("rm -r", d);
                return true;
            }
            case 13:
            {
                if (all.Count == 0) return false;
                var e = all[rng.Next(all.Count)];
                if (e.Kind == FileKind.Symlink || (e.Kind != FileKind.Directory && !Involve(e.Path))) return false;
                uint mode = e.Kind == FileKind.Directory ? 0x1C0u /* 0700 */ | (uint)rng.Next(64) : (uint)rng.Next(512);
                PosixFs.Chmod(e.Path, mode);
                Log($"chmod {Convert.ToString(mode, 8)}", e.Path);
                return true;
            }
            case 14:
            {
                if (all.Count == 0) return false;
                var e = all[rng.Next(all.Count)];
                if (e.Kind != FileKind.Directory && !Involve(e.Path)) return false;
                uint uid = Ids[rng.Next(Ids.Length)], gid = Ids[rng.Next(Ids.Length)];
                PosixFs.LChown(e.Path, uid, gid);
                Log($"chown -h {uid}:{gid}", e.Path);
                return true;
            }
            case 15:
            {
                var l = NewName(AnyDir());
                byte[] target = rng.Next(3) == 0 ? [(byte)'.', (byte)'.', (byte)'/', 0xfe, (byte)'x'] : (files.Count > 0 ? files[rng.Next(files.Count)].Path : "nowhere"u8.ToArray());
                PosixFs.Symlink(target, l);
                Log("symlink", target, l);
                return true;
            }
            case 16:
            {
                if (rng.Next(2) == 0)
                {
                    var d = NewName(AnyDir());
                    PosixFs.MakeDirectory(d, 0x1ED /* 0755 */);
                    Log("mkdir", d);
                    if (rng.Next(2) == 0) { var f = NewName(d); CreateFile(f); Log("create", f); }
                    return true;
                }
                var empty = dirs.Skip(1).Where(d => PosixFs.ReadDirectory(d).Count == 0).ToList();
                if (empty.Count == 0) return false;
                var e = empty[rng.Next(empty.Count)];
                PosixFs.RemoveDirectory(e);
                Log("rmdir", e);
                return true;
            }
            case 17:
            {
                // A file replaced by a directory of the same name (with something inside), or the reverse.
                if (rng.Next(3) != 0)
                {
                    if (nonDirs.Count == 0) return false;
                    var f = nonDirs[rng.Next(nonDirs.Count)].Path;
                    if (!Involve(f)) return false;
                    PosixFs.Unlink(f);
                    PosixFs.MakeDirectory(f, 0x1ED /* 0755 */);
                    var inside = NewName(f);
                    CreateFile(inside);
                    Log("file->dir", f, inside);
                }
                else
                {
                    var candidates = dirs.Skip(1).ToList();
                    if (candidates.Count == 0) return false;
                    var d = candidates[rng.Next(candidates.Count)];
                    if (!Involve(d)) return false;
                    RemoveTree(d);
                    CreateFile(d);
                    Log("dir->file", d);
                }
                return true;
            }
            case 18:
            {
                if (files.Count == 0) return false;
                var f = files[rng.Next(files.Count)].Path;
                if (!Involve(f)) return false;
                long t = 1_600_000_000_000_000_000L + rng.NextInt64(100_000_000_000_000_000L);
                PosixFs.SetTimes(f, t, t);
                Log($"touch -d @{t / 1_000_000_000}", f);
                return true;
            }
            case 19:
            {
                if (all.Count == 0) return false;
                var e = all[rng.Next(all.Count)];
                if (e.Kind == FileKind.Symlink || (e.Kind != FileKind.Directory && !Involve(e.Path))) return false;
                var value = Encoding.ASCII.GetBytes("v" + rng.Next(1000));
                PosixFs.SetXattr(e.Path, "user.tt"u8.ToArray(), value);
                Log("setfattr user.tt=" + Encoding.ASCII.GetString(value), e.Path);
                return true;
            }
            case 20:
            {
                // Out of the source: a file or a directory moved to the outside directory.
                var candidates = all.Where(e => e.Kind != FileKind.Symlink).ToList();
                if (candidates.Count == 0) return false;
                var e = candidates[rng.Next(candidates.Count)].Path;
                if (!Involve(e)) return false;
                var to = NewName(outside);
                PosixFs.Rename(e, to);
                Log("move out", e, to);
                return true;
            }
            case 21:
            {
                // Into the source: something from the outside directory (made there first when it is empty).
                var there = PosixFs.ReadDirectory(outside).Select(n => PathBytes.Join(outside, n.Name)).ToList();
                byte[] from;
                if (there.Count == 0 || rng.Next(3) == 0)
                {
                    from = NewName(outside);
                    if (rng.Next(2) == 0) CreateFile(from);
                    else { PosixFs.MakeDirectory(from, 0x1ED); CreateFile(NewName(from)); }
                    Log("create outside", from);
                }
                else from = there[rng.Next(there.Count)];
                if (!Involve(from)) return false;
                var to = NewName(AnyDir());
                PosixFs.Rename(from, to);
                Log("move in", from, to);
                return true;
            }
            case 22 or 23:
            {
                // Excluded paths: create or write under a "cache" directory or a "*.tmp" name, or rename across the
                // boundary (an excluded name becomes included, or the reverse).
                var dir = AnyDir();
                switch (rng.Next(4))
                {
                    case 0:
                    {
                        var cache = PathBytes.Join(dir, "cache"u8);
                        if (!PosixFs.TryLStat(cache, out _)) PosixFs.MakeDirectory(cache, 0x1ED);
                        else if (PosixFs.LStat(cache).Kind != FileKind.Directory) return false;
                        var f = NewName(cache);
                        CreateFile(f);
                        Log("create (excluded)", f);
                        return true;
                    }
                    case 1:
                    {
                        var f = PathBytes.Join(dir, Encoding.ASCII.GetBytes($"t{rng.Next(40)}.tmp"));
                        if (PosixFs.TryLStat(f, out var st))
                        {
                            if (st.Kind != FileKind.Regular || !Involve(f)) return false;
                            WriteAt(f, RandomBytes(100), 0, append: true);
                            Log("append (excluded)", f);
                        }
                        else { CreateFile(f); Log("create (excluded)", f); }
                        return true;
                    }
                    case 2:
                    {
                        var excluded = all.Where(e => PathBytes.Display(e.Path).EndsWith(".tmp") || e.Path.AsSpan().EndsWith("/cache"u8)).ToList();
                        if (excluded.Count == 0) return false;
                        var e = excluded[rng.Next(excluded.Count)].Path;
                        var targets = dirs.Where(t => !PathBytes.IsWithin(t, e)).ToList();
                        if (!Involve(e)) return false;
                        var to = NewName(targets[rng.Next(targets.Count)]);
                        PosixFs.Rename(e, to);
                        Log("rename excluded -> included", e, to);
                        return true;
                    }
                    default:
                    {
                        if (nonDirs.Count == 0) return false;
                        var f = nonDirs[rng.Next(nonDirs.Count)].Path;
                        var to = PathBytes.Join(AnyDir(), Encoding.ASCII.GetBytes($"t{rng.Next(40)}.tmp"));
                        if (PosixFs.TryLStat(to, out _) || !Involve(f)) return false;
                        PosixFs.Rename(f, to);
                        Log("rename included -> excluded", f, to);
                        return true;
                    }
                }
            }
            case 24:
            {
                // hard-link rounds only: another name for a file inside the subtree
                if (files.Count == 0) return false;
                var f = files[rng.Next(files.Count)].Path;
                var l = NewName(AnyDir());
                PosixFs.HardLink(f, l);
                Expect.Add("hard");
                Log("link", f, l);
                return true;
            }
            case 25:
            {
                // hard-link rounds only: another name outside the source or in an excluded directory, maybe written through
                if (files.Count == 0) return false;
                var f = files[rng.Next(files.Count)].Path;
                byte[] l;
                if (rng.Next(2) == 0) l = NewName(outside);
                else
                {
                    var cache = PathBytes.Join(AnyDir(), "cache"u8);
                    if (!PosixFs.TryLStat(cache, out _)) PosixFs.MakeDirectory(cache, 0x1ED);
                    else if (PosixFs.LStat(cache).Kind != FileKind.Directory) return false;
                    l = NewName(cache);
                }
                PosixFs.HardLink(f, l);
                Expect.Add("hard");
                Log("link across the boundary", f, l);
                if (rng.Next(2) == 0) { WriteAt(l, RandomBytes(100), 0, append: true); Log("append through", l); }
                return true;
            }
            default:
            {
                // hard-link rounds only, rarely: the source root moved away and back, with a change made meanwhile
                if (rng.Next(6) != 0) return false;
                var away = PathBytes.Join(outside, "source-away"u8);
                PosixFs.Rename(sourceRoot, away);
                var inTop = PathBytes.Join(away, top.AsSpan(sourceRoot.Length + 1));
                var f = NewName(inTop);
                CreateFile(f);
                PosixFs.Rename(away, sourceRoot);
                Expect.Add("source root");
                Log("mv source away, create, mv back", f);
                return true;
            }
        }
    }
}
