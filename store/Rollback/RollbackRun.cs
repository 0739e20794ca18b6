// Carries out a rollback's plan. Removals first, deepest first (a directory made since goes whole: renamed to a
// temporary name beside it, so it vanishes at once, then removed); then creations and replacements top-down through
// the restorer (RestoreRun: written beside under a .tt-restore- name, fsynced, renamed over, with owner, mode, times,
// xattrs and hard links), and metadata-only changes in place; last, every directory whose entries or metadata changed
// gets the snapshot's mode, owner, xattrs and mtime, deepest first, once its entries are done.
// Hard links: a name added to or removed from a link group moves the link count and ctime of every name of that file,
// so every member of such a group is a changed path (TreeDiff.ReportLinkChanges). The first name met in tree order
// is kept or restored, and the others are made hard links to it (RestoreRun remembers it, here or inside a
// directory it restores whole).
using System.Security.Cryptography;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Restore;
using TimeTravel.Store.Trees;

namespace TimeTravel.Store.Rollback;

internal sealed class RollbackRun
{
    private readonly Repository _repo;
    private readonly SnapshotRecord _target;
    private readonly RestoreRun _restore;
    private readonly Action<string> _report;
    private readonly byte[] _storeRoot;
    private readonly List<byte[]> _failed = [];
    private readonly List<(RollbackStep Step, int From, int To)> _restored = []; // each restore step's actions
    private readonly long _nowNs = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    public RollbackRun(Repository repo, SnapshotRecord target, bool resuming, Action<string> report)
    {
        _repo = repo;
        _target = target;
        _report = report;
        _storeRoot = PathBytes.From(repo.Layout.Root);
        // Everything in a changed path is made as the snapshot has it: no backups (the undo snapshot is the backup),
        // what matches stays, what the snapshot lacks goes.
        var options = new RestoreOptions { KeepBackup = false, OnlyIfDifferent = true, RemoveExtra = true, SetOwners = true };
        _restore = new RestoreRun(new StoreTreeSource(repo.Trees), options, report) { Resuming = resuming, BatchReplacements = true };
    }

    public void Execute(List<RollbackStep> steps, bool resuming)
    {
        if (resuming) RemoveLeftovers(steps);
        for (int i = steps.Count - 1; i >= 0; i--)
            if (steps[i].Action == RollbackStep.Remove) Guarded(steps[i], Remove);
        foreach (var step in steps)
        {
            if (step.Action is RollbackStep.Create or RollbackStep.Replace) Guarded(step, Restore);
            else if (step.Action == RollbackStep.Metadata) Guarded(step, SetMetadata);
            // A kept first name of a hard-link group: later names are linked to it.
            if (step.Action is RollbackStep.Unchanged or RollbackStep.Metadata && step.Target is { LinkId: not 0, Kind: not FileKind.Directory } t)
                _restore.RememberLink(t, step.Path);
        }
        _restore.FinishReplacements(); // before the directories' times: the renames move them
        NoteFailedRestores();
        SetDirectories(steps);
    }

    private void Guarded(RollbackStep step, Action<RollbackStep> act)
    {
        if (_failed.FirstOrDefault(f => IsUnder(f, step.Path)) is { } failed)
        {
            step.Fail($"left alone: {PathBytes.Display(failed)} could not be rolled back");
            return;
        }
        try
        {
            // Never write through a symlink: the parent must be a real directory (a changed parent came first).
            var parent = Parent(step.Path);
            if (!PosixFs.TryLStat(parent, out var p) || p.Kind != FileKind.Directory)
                throw new IOException($"{PathBytes.Display(parent)} is not a directory; nothing written below it");
            act(step);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            step.Fail(e.Message);
        }
        if (step.Action == RollbackStep.Failed)
        {
            _report(step.Detail!);
            _failed.Add(step.Path);
        }
    }

    private void Remove(RollbackStep step)
    {
        if (!PosixFs.TryLStat(step.Path, out var st)) return; // gone meanwhile: done
        if (st.Kind != FileKind.Directory) { PosixFs.Unlink(step.Path); return; }
        if (IsUnder(step.Path, _storeRoot))
            throw new IOException($"{step.Shown}: holds the store {_repo.Layout.Root}; not removed");
        // Out of sight in one rename, then removed; a kill in between leaves a .tt-restore- directory a rerun removes.
        var aside = Beside(step.Path);
        PosixFs.Rename(step.Path, aside);
        RestoreRun.RemoveTree(aside, st, st.Device);
    }

    private void Restore(RollbackStep step)
    {
        int before = _restore.Actions.Count;
        _restore.Restore(step.Target!, step.Path, parentIsNew: false);
        var failures = _restore.Actions.Skip(before).Where(a => a.Kind == RestoreAction.Failed).Select(a => a.Detail).ToList();
        if (failures.Count > 0) step.Fail(string.Join("; ", failures));
        else _restored.Add((step, before, _restore.Actions.Count));
    }

    // A batched replacement can still fail when it is renamed into place (RestoreRun.FinishReplacements).
    private void NoteFailedRestores()
    {
        foreach (var (step, from, to) in _restored)
        {
            var failures = _restore.Actions.Skip(from).Take(to - from).Where(a => a.Kind == RestoreAction.Failed).Select(a => a.Detail).ToList();
            if (failures.Count == 0) continue;
            step.Fail(string.Join("; ", failures)); // RestoreRun reported it
            _failed.Add(step.Path);
        }
    }

    private void SetMetadata(RollbackStep step)
    {
        var problems = _restore.ApplyMetadataInPlace(step.Path, step.Target!);
        if (problems.Count > 0) step.Fail(string.Join("; ", problems));
    }

    /// <summary>
    /// Directories whose entries changed (the parents of changed paths) and the changed directories themselves: the
    /// snapshot's metadata, deepest first, after their entries (which move a directory's mtime).
    /// </summary>
    private void SetDirectories(List<RollbackStep> steps)
    {
        var dirs = new SortedSet<byte[]>(PathBytes.Comparer);
        // Unchanged paths count too: on a rerun they are what the interrupted run did, which moved their directories.
        foreach (var s in steps)
        {
            if (s.Action == RollbackStep.Failed) continue;
            dirs.Add(Parent(s.Path));
            if (s.Target?.Kind == FileKind.Directory) dirs.Add(s.Path);
        }
        var trie = Snapshots.SourceTrie.Build(_repo.Catalog.Sources(), _repo.Layout.Root);
        foreach (var dir in dirs.Reverse()) // a parent sorts before its children: reversed, children come first
        {
            if (!trie.Covers(dir) || _failed.Any(f => IsUnder(f, dir))) continue;
            var node = _repo.Trees.Resolve(_target.Root, PathBytes.Components(dir));
            if (node is not { Kind: FileKind.Directory } || !PosixFs.TryLStat(dir, out var live) || live.Kind != FileKind.Directory) continue;
            try
            {
                bool metadata = live.Permissions != node.Mode || live.Uid != node.Uid || live.Gid != node.Gid
                    || !History.NodeComparison.SameXattrs(PosixFs.ReadXattrs(dir), node.Xattrs);
                if (metadata)
                {
                    var problems = _restore.ApplyMetadataInPlace(dir, node);
                    if (problems.Count > 0 && steps.FirstOrDefault(s => PathBytes.EqualityComparer.Equals(s.Path, dir)) is { } step)
                        step.Fail(string.Join("; ", problems));
                }
                else if (live.MTimeNs != node.MTimeNs) PosixFs.SetTimes(dir, _nowNs, node.MTimeNs);
            }
            catch (PosixException e) { _report(e.Message); }
        }
    }

    /// <summary>What an interrupted rollback left: .tt-restore- files and directories beside the changed paths.</summary>
    private void RemoveLeftovers(List<RollbackStep> steps)
    {
        var dirs = new HashSet<byte[]>(steps.Select(s => Parent(s.Path)), PathBytes.EqualityComparer);
        foreach (var dir in dirs)
        {
            if (!PosixFs.TryLStat(dir, out var d) || d.Kind != FileKind.Directory) continue;
            foreach (var e in PosixFs.ReadDirectory(dir))
            {
                if (!e.Name.AsSpan().StartsWith(RestoreRun.TemporaryPrefix) || UnfinishedRestore.IsMarker(e.Name)) continue;
                var path = PathBytes.Join(dir, e.Name);
                try
                {
                    if (PosixFs.TryLStat(path, out var st)) RestoreRun.RemoveTree(path, st, d.Device);
                    _report($"{PathBytes.Display(path)}: removed, left by the interrupted rollback");
                }
                catch (IOException x) { _report(x.Message); }
            }
        }
    }

    private static byte[] Beside(byte[] path) =>
        PathBytes.Join(Parent(path), PathBytes.From($".tt-restore-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}"));

    private static byte[] Parent(byte[] path)
    {
        int slash = path.AsSpan().LastIndexOf((byte)'/');
        return slash <= 0 ? "/"u8.ToArray() : path[..slash];
    }

    /// <summary>Whether `path` is `dir` or below it.</summary>
    private static bool IsUnder(byte[] dir, byte[] path) =>
        path.AsSpan().StartsWith(dir) && (path.Length == dir.Length || path[dir.Length] == (byte)'/' || dir is [(byte)'/']);
}
