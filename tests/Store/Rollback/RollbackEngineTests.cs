// The rollback engine on a temporary source with a real store and no tracker: every kind of change since a
// checkpoint is undone (content, type, mode, owner, times, xattrs, hard links, symlinks, fifos, created and removed
// files, a renamed directory), PATH and --exclude limit it, the store is never touched, a dry run writes nothing,
// a rerun after an interruption finishes with the same undo point, --undo goes back, and untouched files keep their
// inode and ctime.
using TimeTravel.Store;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Rollback;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Store.Rollback;

public sealed class RollbackEngineTests : IDisposable
{
    private readonly RollbackSandbox _box = new();

    public void Dispose() => _box.Dispose();

    private static readonly DateTime Old = new(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);

    /// <summary>A small tree with one of everything, times set in the past so any change moves them.</summary>
    private void Build()
    {
        Directory.CreateDirectory(_box["etc/app"]);
        Directory.CreateDirectory(_box["usr/lib/plugins"]);
        Directory.CreateDirectory(_box["var/cache"]);
        File.WriteAllText(_box["etc/app/config"], "setting=1\n");
        File.WriteAllText(_box["etc/app/other"], "untouched\n");
        File.WriteAllBytes(_box["usr/lib/libthing.so"], SourceFiles.Random(70_000, 1));
        File.WriteAllText(_box["usr/lib/plugins/a.so"], "plugin a\n");
        File.WriteAllText(_box["usr/lib/plugins/b.so"], "plugin b\n");
        File.WriteAllText(_box["usr/bin-tool"], "#!/bin/sh\necho 1\n");
        File.SetUnixFileMode(_box["usr/bin-tool"], (UnixFileMode)0x1ED);
        File.CreateSymbolicLink(_box["usr/lib/libthing.so.1"], "libthing.so");
        PosixFs.MakeNode(_box.Bytes("var/fifo"), 0x1000 | 0x1A4, 0);
        PosixFs.SetXattr(_box.Bytes("etc/app/config"), "user.origin"u8.ToArray(), "package"u8.ToArray());
        File.WriteAllText(_box["var/linked"], "two names\n");
        PosixFs.HardLink(_box.Bytes("var/linked"), _box.Bytes("var/linked-too"));
        File.WriteAllText(_box["var/type-change"], "a file, later a directory\n");
        Directory.CreateDirectory(_box["var/dir-to-file"]);
        File.WriteAllText(_box["var/dir-to-file/inside"], "x\n");
        foreach (var p in Directory.EnumerateFileSystemEntries(_box.Source, "*", SearchOption.AllDirectories).OrderByDescending(p => p.Length))
            if (!PosixFs.LStat(PathBytes.From(p)).Kind.Equals(FileKind.Symlink)) File.SetLastWriteTimeUtc(p, Old);
        File.SetLastWriteTimeUtc(_box.Source, Old);
    }

    /// <summary>What an upgrade does: edits, replaced and new files, removals, modes, a rename, links, type changes.</summary>
    private void Upgrade()
    {
        File.WriteAllText(_box["etc/app/config"], "setting=2\n");
        PosixFs.SetXattr(_box.Bytes("etc/app/config"), "user.origin"u8.ToArray(), "admin"u8.ToArray());
        PosixFs.SetXattr(_box.Bytes("etc/app/other"), "user.new"u8.ToArray(), "1"u8.ToArray());
        File.WriteAllBytes(_box["usr/lib/libthing.so.new"], SourceFiles.Random(70_000, 2));
        File.Move(_box["usr/lib/libthing.so.new"], _box["usr/lib/libthing.so"], overwrite: true);
        File.SetUnixFileMode(_box["usr/bin-tool"], (UnixFileMode)0x1FF);
        File.Delete(_box["usr/lib/libthing.so.1"]);
        File.CreateSymbolicLink(_box["usr/lib/libthing.so.1"], "libthing.so.2");
        Directory.Move(_box["usr/lib/plugins"], _box["usr/lib/plugins-v2"]);
        File.WriteAllText(_box["usr/lib/plugins-v2/c.so"], "plugin c\n");
        Directory.CreateDirectory(_box["usr/share/new/deeper"]);
        File.WriteAllText(_box["usr/share/new/deeper/file"], "made by the upgrade\n");
        File.Delete(_box["var/fifo"]);
        File.WriteAllText(_box["var/fifo"], "no longer a fifo\n");
        // The link group changes: one name replaced by a copy, a third name added to the other.
        File.Delete(_box["var/linked-too"]);
        File.WriteAllText(_box["var/linked-too"], "two names\n");
        PosixFs.HardLink(_box.Bytes("var/linked"), _box.Bytes("var/linked-third"));
        File.Delete(_box["var/type-change"]);
        Directory.CreateDirectory(_box["var/type-change"]);
        File.WriteAllText(_box["var/type-change/f"], "now a directory\n");
        Directory.Delete(_box["var/dir-to-file"], recursive: true);
        File.WriteAllText(_box["var/dir-to-file"], "now a file\n");
        File.SetLastWriteTimeUtc(_box["etc/app"], new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc));
    }

    [Fact]
    public void EveryKindOfChangeIsRolledBackToTheCheckpoint()
    {
        Build();
        var before = TreeManifest.Of(_box.Source);
        var checkpoint = _box.Checkpoint();
        Upgrade();
        var result = _box.Rollback(checkpoint);
        Assert.False(result.AnyFailed, string.Join("\n", result.Steps.Where(s => s.Action == RollbackStep.Failed)));
        var after = TreeManifest.Of(_box.Source);
        Assert.True(before.SequenceEqual(after), TreeManifest.Difference(before, after));
        Assert.Equal(PosixFs.LStat(_box.Bytes("var/linked")).Inode, PosixFs.LStat(_box.Bytes("var/linked-too")).Inode);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_box.Source, ".tt-restore-*", SearchOption.AllDirectories));
        Assert.Contains(result.Steps, s => s.Action == RollbackStep.Metadata && s.Shown.EndsWith("usr/bin-tool") && s.Why == "mode 0777 -> 0755");
        Assert.Contains(result.Steps, s => s.Action == RollbackStep.Remove && s.Shown.EndsWith("usr/lib/plugins-v2"));
        Assert.Contains(result.Steps, s => s.Action == RollbackStep.Create && s.Shown.EndsWith("usr/lib/plugins"));
        Assert.Contains(result.Steps, s => s.Action == RollbackStep.Replace && s.Shown.EndsWith("var/fifo") && s.Why == "is a file, was a fifo");
        Assert.Equal(0, result.Count(RollbackStep.Failed));
    }

    [Fact]
    [NeedsRoot]
    public void OwnersAreRolledBack()
    {
        Build();
        PosixFs.LChown(_box.Bytes("usr/bin-tool"), 0, 0);
        var before = TreeManifest.Of(_box.Source);
        var checkpoint = _box.Checkpoint();
        PosixFs.LChown(_box.Bytes("usr/bin-tool"), 1234, 5678);
        PosixFs.LChown(_box.Bytes("usr/lib/libthing.so.1"), 42, 42);
        PosixFs.LChown(_box.Bytes("etc/app"), 7, 7);
        var result = _box.Rollback(checkpoint);
        Assert.Contains(result.Steps, s => s.Shown.EndsWith("usr/bin-tool") && s.Why == "owner 1234:5678 -> 0:0");
        var after = TreeManifest.Of(_box.Source);
        Assert.True(before.SequenceEqual(after), TreeManifest.Difference(before, after));
    }

    [Fact]
    public void OnlyTheChangedPathsAreTouched()
    {
        Build();
        var checkpoint = _box.Checkpoint();
        File.WriteAllText(_box["etc/app/config"], "setting=2\n");
        var untouched = new[] { "etc/app/other", "usr/lib/libthing.so", "usr/lib/plugins/a.so", "var/linked" }
            .ToDictionary(p => p, p => PosixFs.LStat(_box.Bytes(p)));
        Thread.Sleep(20); // a ctime a touch would set differs
        var result = _box.Rollback(checkpoint);
        Assert.Equal(["replace"], result.Steps.Select(s => s.Action));
        foreach (var (p, st) in untouched)
        {
            var now = PosixFs.LStat(_box.Bytes(p));
            Assert.True((st.Inode, st.CTimeNs) == (now.Inode, now.CTimeNs), $"{p} was touched");
        }
        Assert.Equal("setting=1\n", File.ReadAllText(_box["etc/app/config"]));
    }

    [Fact]
    public void PathArgumentsLimitTheRollback()
    {
        Build();
        var checkpoint = _box.Checkpoint();
        Upgrade();
        var result = _box.Rollback(checkpoint, new RollbackRequest { Paths = [_box.Bytes("etc")] });
        Assert.All(result.Steps, s => Assert.StartsWith(_box["etc"], s.Shown));
        Assert.Equal("setting=1\n", File.ReadAllText(_box["etc/app/config"]));
        Assert.True(Directory.Exists(_box["usr/lib/plugins-v2"]), "outside the path: left as it is");
        Assert.Equal(0x1FF, (int)PosixFs.LStat(_box.Bytes("usr/bin-tool")).Permissions);
    }

    [Fact]
    public void ExcludedPathsAreLeftAsTheyAre()
    {
        Build();
        var checkpoint = _box.Checkpoint();
        Upgrade();
        // "src" names the source's root itself, above what the patterns are matched against: it excludes nothing.
        var result = _box.Rollback(checkpoint, new RollbackRequest { Excludes = ["plugins-v2", _box["etc"] + "/**", "src"] });
        Assert.False(result.AnyFailed, string.Join("\n", result.Steps));
        Assert.True(File.Exists(_box["usr/lib/plugins-v2/c.so"]));
        Assert.Equal("setting=2\n", File.ReadAllText(_box["etc/app/config"]));
        Assert.Equal("plugin a\n", File.ReadAllText(_box["usr/lib/plugins/a.so"]));
        Assert.False(Directory.Exists(_box["usr/share"]));
    }

    [Fact]
    public void DryRunWritesNothingAndAddsNoSnapshot()
    {
        Build();
        var checkpoint = _box.Checkpoint();
        Upgrade();
        var upgraded = TreeManifest.Of(_box.Source);
        int snapshots = _box.Snapshots().Count;
        var result = _box.Rollback(checkpoint, new RollbackRequest { DryRun = true });
        Assert.True(result.DryRun);
        Assert.Contains(result.Steps, s => s.Action == RollbackStep.Replace && s.Shown.EndsWith("etc/app/config") && s.Why == "content changed");
        Assert.Contains(result.Steps, s => s.Action == RollbackStep.Remove && s.Shown.EndsWith("usr/share") && s.Why == $"directory created since {checkpoint.Name}");
        Assert.Contains(result.Steps, s => s.Action == RollbackStep.Create && s.Shown.EndsWith("usr/lib/plugins") && s.Why == $"removed since {checkpoint.Name}");
        var after = TreeManifest.Of(_box.Source);
        Assert.True(upgraded.SequenceEqual(after), TreeManifest.Difference(upgraded, after));
        Assert.Equal(snapshots, _box.Snapshots().Count);
        Assert.False(File.Exists(Path.Combine(_box.Store, "rollback")), "a dry run records no rollback");
    }

    [Fact]
    public void UndoReturnsToTheStateBeforeTheRollbackAndUndoOfUndoToTheCheckpoint()
    {
        Build();
        var checkpoint = _box.Checkpoint();
        var original = TreeManifest.Of(_box.Source);
        Upgrade();
        var upgraded = TreeManifest.Of(_box.Source);
        var first = _box.Rollback(checkpoint);
        Assert.Equal(RollbackEngine.UndoNote(checkpoint), _box.Snapshots().Single(s => s.Id == first.Undo.Id).Pin?.Note);
        var undo = _box.Undo();
        Assert.Equal(first.Undo.Id, undo.Target.Id);
        Assert.False(undo.AnyFailed, string.Join("\n", undo.Steps.Where(s => s.Action == RollbackStep.Failed)));
        var now = TreeManifest.Of(_box.Source);
        Assert.True(upgraded.SequenceEqual(now), TreeManifest.Difference(upgraded, now));
        _box.Undo();
        now = TreeManifest.Of(_box.Source);
        Assert.True(original.SequenceEqual(now), TreeManifest.Difference(original, now));
    }

    [Fact]
    public void RerunAfterAnInterruptionFinishesWithTheSameUndoPoint()
    {
        Build();
        var checkpoint = _box.Checkpoint();
        var original = TreeManifest.Of(_box.Source);
        Upgrade();
        // Interrupted after /etc: that part done, the state still says running, and temporary files left behind.
        var partial = _box.Rollback(checkpoint, new RollbackRequest { Paths = [_box.Bytes("etc")] });
        using (var repo = Repository.OpenReader(_box.Store))
            RollbackState.Write(repo.Layout, new RollbackState(RollbackState.Running, checkpoint.Id, checkpoint.Name, partial.Undo.Id, partial.Undo.Name));
        File.WriteAllText(_box["usr/lib/.tt-restore-0123456789ab"], "half written");
        Directory.CreateDirectory(_box["usr/.tt-restore-ba9876543210/half-removed"]);
        int snapshots = _box.Snapshots().Count;

        var rerun = _box.Rollback(checkpoint);
        Assert.True(rerun.Resumed);
        Assert.Equal(partial.Undo.Id, rerun.Undo.Id);
        Assert.Equal(snapshots, _box.Snapshots().Count);
        Assert.Contains(rerun.Steps, s => s.Shown.EndsWith("etc/app/config") && s.Action == RollbackStep.Unchanged);
        var now = TreeManifest.Of(_box.Source);
        Assert.True(original.SequenceEqual(now), TreeManifest.Difference(original, now));
        using (var repo = Repository.OpenReader(_box.Store))
            Assert.Equal(RollbackState.Done, RollbackState.Read(repo.Layout)!.Phase);
    }

    [Fact]
    public void AnUnfinishedRollbackToAnotherSnapshotIsRefusedBeforeAnythingChanges()
    {
        Build();
        var checkpoint = _box.Checkpoint();
        File.WriteAllText(_box["etc/app/config"], "setting=2\n");
        var later = _box.Checkpoint();
        File.WriteAllText(_box["etc/app/config"], "setting=3\n");
        using (var repo = Repository.OpenReader(_box.Store))
            RollbackState.Write(repo.Layout, new RollbackState(RollbackState.Running, later.Id, later.Name, later.Id, later.Name));
        var e = Assert.Throws<StoreException>(() => _box.Rollback(checkpoint));
        Assert.Contains($"the rollback to {later.Name} is unfinished", e.Message);
        Assert.Equal("setting=3\n", File.ReadAllText(_box["etc/app/config"]));
    }

    [Fact]
    public void UndoWithoutARollbackIsRefusedNamingTheStore()
    {
        var e = Assert.Throws<StoreException>(() => _box.Undo());
        Assert.Contains("no rollback has been done", e.Message);
    }

    [Fact]
    public void AFileAProcessRunsIsListedAndReplacedByRename()
    {
        Directory.CreateDirectory(_box["bin"]);
        File.Copy("/bin/true", _box["bin/prog"]);
        var checkpoint = _box.Checkpoint();
        File.Delete(_box["bin/prog"]);
        File.Copy("/bin/sleep", _box["bin/prog"]); // the upgrade's program, running when the rollback comes
        using var sleeper = System.Diagnostics.Process.Start(_box["bin/prog"], "30");
        try
        {
            var result = _box.Rollback(checkpoint);
            var step = Assert.Single(result.Steps, s => s.Shown.EndsWith("bin/prog"));
            Assert.Equal(RollbackStep.Replace, step.Action);
            Assert.Contains($"prog ({sleeper.Id})", step.HeldBy);
            Assert.Equal(File.ReadAllBytes("/bin/true"), File.ReadAllBytes(_box["bin/prog"]));
            Assert.Contains(_box.Messages, m => m.Contains("replaced by rename: running processes keep the old file until they restart"));
            Assert.False(sleeper.HasExited, "the running program keeps its old file");
        }
        finally
        {
            sleeper.Kill();
            sleeper.WaitForExit();
        }
    }

    [Fact]
    public void TheStoreInsideTheSourceIsNeverTouched()
    {
        using var box = new RollbackSandbox(storeInSource: true);
        File.WriteAllText(box["a"], "1\n");
        var checkpoint = box.Checkpoint();
        File.WriteAllText(box["a"], "2\n");
        var result = box.Rollback(checkpoint);
        Assert.Equal("1\n", File.ReadAllText(box["a"]));
        Assert.DoesNotContain(result.Steps, s => s.Shown.StartsWith(box.Store));
        Assert.Equal([checkpoint.Id, result.Undo.Id], box.Snapshots().Select(s => s.Id));
        using var repo = Repository.OpenReader(box.Store);
        Assert.Empty(new TimeTravel.Store.Maintenance.StoreVerifier(repo).Run(readData: true).Problems);
    }
}
