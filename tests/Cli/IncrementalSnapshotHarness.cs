// Support for the incremental-snapshot tests: a sandbox on /var/tmp (ext4, markable by fanotify) holding a source and
// a store, the real `timetravel` run as child processes (including the `track` daemon, stopped by pid), snapshot
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
public sealed record IncrSnapshotInfo(string Name, string Root, string Method, string Reason, bool Complete, long DurationMs)
{
    public static IncrSnapshotInfo Parse(JsonElement e) => new(
        e.GetProperty("name").GetString()!, e.GetProperty("root").GetString()!, e.GetProperty("method").GetString()!,
        e.TryGetProperty("reason", out var r) ? r.GetString() ?? "" : "", e.GetProperty("complete").GetBoolean(),
        e.GetProperty("durationMs").GetInt64());
}

public sealed class IncrementalSnapshotSandbox : IDisposable
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "timetravel.dll");

    public string Base { get; }
    public string Source { get; }
    public string Store { get; }
    private readonly List<TrackerProcess> _trackers = [];

    public IncrementalSnapshotSandbox()
    {
        Base = Path.Combine("/var/tmp", "tt-incr-" + Guid.NewGuid().ToString("N")[..12]);
        Source = Path.Combine(Base, "src");
        Store = Path.Combine(Base, "store");
        Directory.CreateDirectory(Source);
    }

    public byte[] SourceBytes => PathBytes.From(Source);

    public IncrCliResult Cli(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        psi.ArgumentList.Add(Dll);
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
            KillPid(p.Id, "KILL");
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

    public void Init()
    {
        var r = Cli("init", Source);
        if (r.ExitCode != 0) throw new InvalidOperationException("init failed: " + r);
    }

    /// <summary>Takes a snapshot (exit 0 required) and returns what `snapshot --json` printed.</summary>
    public IncrSnapshotInfo Snapshot(bool full = false)
    {
        var r = full ? Cli("snapshot", "--full", "--json") : Cli("snapshot", "--json");
        if (r.ExitCode != 0) throw new InvalidOperationException("snapshot failed: " + r);
        using var doc = JsonDocument.Parse(r.StdoutBytes);
        return IncrSnapshotInfo.Parse(doc.RootElement);
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
    public string SourceNodeOf(string snapshot)
    {
        using var repo = Repository.OpenReader(Store);
        var snap = repo.FindSnapshot(snapshot);
        var node = repo.Trees.Resolve(snap.Root, PathBytes.Components(SourceBytes));
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

    /// <summary>Starts `timetravel track` and waits until it has journalled its start.</summary>
    public TrackerProcess StartTracker()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        psi.ArgumentList.Add(Dll);
        psi.ArgumentList.Add("--store");
        psi.ArgumentList.Add(Store);
        psi.ArgumentList.Add("track");
        Environment(psi);
        var t = new TrackerProcess(Process.Start(psi)!);
        _trackers.Add(t);
        t.WaitUntilWatching(TimeSpan.FromSeconds(30));
        return t;
    }

    public static void KillPid(int pid, string signal)
    {
        using var k = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, pid.ToString() }, RedirectStandardError = true })!;
        k.WaitForExit();
    }

    public void Dispose()
    {
        foreach (var t in _trackers) t.Dispose();
        if (Directory.Exists(Base))
        {
            // rm copes with non-UTF-8 names and modes that .NET's recursive delete trips over.
            using var rm = Process.Start(new ProcessStartInfo("rm") { ArgumentList = { "-rf", "--", Base } })!;
            rm.WaitForExit();
        }
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

    internal void WaitUntilWatching(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Log.Contains("timetravel track: watching"))
        {
            if (_p.HasExited || DateTime.UtcNow > deadline)
            {
                Stop("KILL");
                throw new InvalidOperationException("the tracker did not start: " + Log);
            }
            Thread.Sleep(50);
        }
    }

    /// <summary>Sends the signal and waits for the process to end.</summary>
    public void Stop(string signal = "TERM")
    {
        if (_p.HasExited) return;
        IncrementalSnapshotSandbox.KillPid(_p.Id, signal);
        if (!_p.WaitForExit(15_000))
        {
            IncrementalSnapshotSandbox.KillPid(_p.Id, "KILL");
            _p.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        try { Stop("KILL"); } catch (InvalidOperationException) { }
        _p.Dispose();
    }
}

/// <summary>Random changes to a tree, on raw byte paths, each logged in a replayable form.</summary>
public sealed class RandomTreeMutator(Random rng, byte[] root, bool allowHardLinks, List<string> log)
{
    private static readonly byte[][] NameStems =
    [
        "f"u8.ToArray(), "g"u8.ToArray(), "dir"u8.ToArray(), "x y"u8.ToArray(), "ü"u8.ToArray(),
        [(byte)'c', (byte)'a', (byte)'f', 0xe9],       // Latin-1 "café": not UTF-8
        [0xff, 0xfe, (byte)'n'],                        // never valid UTF-8
        "n\nl"u8.ToArray(),
    ];

    private static readonly uint[] Ids = [0, 1000, 65534];

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

    public List<Entry> Scan()
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
        Walk(root);
        return all;
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

    /// <summary>A fresh subtree for a seed: a few nested directories with files and symlinks (and hard links if allowed).</summary>
    public void Populate(byte[] top, int files)
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
        if (allowHardLinks)
        {
            for (int i = 0; i < 2; i++)
            {
                var l = NewName(dirs[rng.Next(dirs.Count)]);
                var target = made[rng.Next(made.Count)];
                if (!PosixFs.TryLStat(target, out _)) continue;
                PosixFs.HardLink(target, l);
                Log("link", target, l);
            }
        }
    }

    /// <summary>Performs one random operation inside <c>root</c>; returns false when none applied (nothing suitable).</summary>
    public bool Step()
    {
        var all = Scan();
        var files = all.Where(e => e.Kind == FileKind.Regular).ToList();
        var dirs = all.Where(e => e.Kind == FileKind.Directory).Select(e => e.Path).Prepend(root).ToList();
        var nonDirs = all.Where(e => e.Kind != FileKind.Directory).ToList();
        byte[] AnyDir() => dirs[rng.Next(dirs.Count)];
        int op = rng.Next(allowHardLinks ? 21 : 20);
        switch (op)
        {
            case 0 or 1 or 2: { var p = NewName(AnyDir()); CreateFile(p); Log("create", p); return true; }
            case 3 or 4:
            {
                if (files.Count == 0) return false;
                var f = files[rng.Next(files.Count)].Path;
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
                var data = RandomBytes(500);
                WriteAt(f, data, 0, append: true);
                Log($"append+{data.Length}", f);
                return true;
            }
            case 6:
            {
                if (files.Count == 0) return false;
                var f = files[rng.Next(files.Count)].Path;
                long len = rng.NextInt64(PosixFs.LStat(f).Size + 1) / 2;
                if (truncate(C(f), len) != 0) throw new InvalidOperationException("truncate errno " + Marshal.GetLastPInvokeError());
                Log($"truncate@{len}", f);
                return true;
            }
            case 7 or 8:
            {
                if (nonDirs.Count == 0) return false;
                var f = nonDirs[rng.Next(nonDirs.Count)].Path;
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
                if (a.AsSpan().SequenceEqual(b)) return false;
                PosixFs.Rename(a, b);
                Log("rename-over", a, b);
                return true;
            }
            case 11:
            {
                if (nonDirs.Count == 0) return false;
                var f = nonDirs[rng.Next(nonDirs.Count)].Path;
                PosixFs.Unlink(f);
                Log("rm", f);
                return true;
            }
            case 12:
            {
                var candidates = dirs.Skip(1).ToList();
                if (candidates.Count == 0 || rng.Next(2) == 0) return false;   // rarer than the others
                var d = candidates[rng.Next(candidates.Count)];
                RemoveTree(d);
                Log("rm -r", d);
                return true;
            }
            case 13:
            {
                if (all.Count == 0) return false;
                var e = all[rng.Next(all.Count)];
                if (e.Kind == FileKind.Symlink) return false;
                uint mode = e.Kind == FileKind.Directory ? 0x1C0u /* 0700 */ | (uint)rng.Next(64) : (uint)rng.Next(512);
                PosixFs.Chmod(e.Path, mode);
                Log($"chmod {Convert.ToString(mode, 8)}", e.Path);
                return true;
            }
            case 14:
            {
                if (all.Count == 0) return false;
                var e = all[rng.Next(all.Count)];
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
                long t = 1_600_000_000_000_000_000L + rng.NextInt64(100_000_000_000_000_000L);
                PosixFs.SetTimes(f, t, t);
                Log($"touch -d @{t / 1_000_000_000}", f);
                return true;
            }
            case 19:
            {
                if (all.Count == 0) return false;
                var e = all[rng.Next(all.Count)];
                if (e.Kind == FileKind.Symlink) return false;
                var value = Encoding.ASCII.GetBytes("v" + rng.Next(1000));
                PosixFs.SetXattr(e.Path, "user.tt"u8.ToArray(), value);
                Log("setfattr user.tt=" + Encoding.ASCII.GetString(value), e.Path);
                return true;
            }
            default:
            {
                if (files.Count == 0) return false;
                var f = files[rng.Next(files.Count)].Path;
                var l = NewName(AnyDir());
                PosixFs.HardLink(f, l);
                Log("link", f, l);
                return true;
            }
        }
    }
}
