// One restore in progress: the checking pass, then the writing pass, and the hard-link groups seen so far.
// Safety rules: every name comes from a decoded directory and is checked again here; before anything is created in
// a directory, lstat must show that very directory (same device and inode) and not a symlink; new files are made
// with O_EXCL|O_NOFOLLOW (or symlink/mknod/link, which never follow) under a temporary name, then renamed.
using System.Security.Cryptography;
using TimeTravel.Store.History;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;

namespace TimeTravel.Store.Restore;

internal sealed class RestoreRun(IRestoreSource source, RestoreOptions options, Action<string> report)
{
    private const uint PrivateFile = 0x180;      // 0600 until the recorded mode is set
    private const uint PrivateDirectory = 0x1C0; // 0700 until its contents are in
    private const uint SetIdBits = 0xC00;
    private const string Temporary = ".tt-restore-"; // files being written beside their final name
    /// <summary>The name prefix of files written beside their final name (a rollback removes its leftovers by it).</summary>
    internal static ReadOnlySpan<byte> TemporaryPrefix => ".tt-restore-"u8;

    private readonly List<RestoreAction> _actions = [];
    private readonly Dictionary<ulong, byte[]> _firstNameOfLink = [];
    private readonly long _nowNs = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    public IReadOnlyList<RestoreAction> Actions => _actions;
    /// <summary>The destination: a directory made there is marked unfinished (UnfinishedRestore) until it is through.</summary>
    public byte[] Top { get; init; } = [];
    /// <summary>Finishing an unfinished restore at Top: the temporary files the interrupted one left there go.</summary>
    public bool Resuming { get; init; }
    /// <summary>
    /// Replacements of existing files wait for FinishReplacements: their new content is written beside them, one
    /// syncfs per filesystem then makes all of it durable, and only then is each renamed over its file. Without it
    /// each replacement is fsynced and renamed at once: one journal commit per file (about 2 ms on ext4), which was
    /// two thirds of a rollback's time. Either way no rename can leave an empty file after a crash.
    /// </summary>
    public bool BatchReplacements { get; init; }
    private readonly List<(byte[] Temp, byte[] Path, int Action, ulong Device)> _pendingRenames = [];

    // ---- Pass 1: read and check, write nothing ----

    /// <summary>Refuses (throws) on an invalid name or a symlink where a directory is to be descended into.</summary>
    public void Check(Node node, byte[] path, bool mayExist)
    {
        if (node.Kind != FileKind.Directory) return;
        bool exists = false;
        if (mayExist && PosixFs.TryLStat(path, out var st))
        {
            if (st.Kind == FileKind.Symlink)
                throw new RestoreRefusedException(path, "is a symlink where the snapshot has a directory; restoring through it could write outside the destination");
            exists = st.Kind == FileKind.Directory;
        }
        Node[] children;
        try { children = source.ReadDirectory(node); }
        catch (Exception e) when (IsSourceFailure(e)) { return; } // reported by the writing pass, which skips it too
        CheckNames(children, path);
        foreach (var child in children) Check(child, PathBytes.Join(path, child.Name), exists);
    }

    private static void CheckNames(Node[] children, byte[] dir)
    {
        byte[]? previous = null;
        foreach (var c in children)
        {
            var name = c.Name.AsSpan();
            if (name.Length == 0 || name.IndexOf((byte)'/') >= 0 || name.IndexOf((byte)0) >= 0 || name.SequenceEqual("."u8) || name.SequenceEqual(".."u8))
                throw new RestoreRefusedException(dir, $"the snapshot has an entry named '{PathBytes.Display(c.Name)}' here, which no directory may hold (the store is damaged)");
            if (previous is not null && previous.AsSpan().SequenceCompareTo(name) >= 0)
                throw new RestoreRefusedException(dir, $"the snapshot lists '{PathBytes.Display(c.Name)}' twice or out of order here (the store is damaged)");
            previous = c.Name;
        }
    }

    // ---- Pass 2: write (or list, for a dry run) ----

    public void Restore(Node node, byte[] path, bool parentIsNew)
    {
        FileStatus? existing = !parentIsNew && PosixFs.TryLStat(path, out var st) ? st : null;
        int at = _actions.Count;
        try
        {
            if (node.Kind == FileKind.Directory) RestoreDirectory(node, path, existing);
            else RestoreLeaf(node, path, existing);
        }
        catch (RestoreRefusedException) { throw; }
        catch (Exception e) when (IsFailure(e))
        {
            var failure = Failure(path, e.Message);
            report(failure.Detail!);
            // A directory lists itself before its entries: its own line becomes the failure, not a second line.
            if (at < _actions.Count && _actions[at].Path == failure.Path) _actions[at] = failure;
            else _actions.Add(failure);
        }
    }

    private void RestoreDirectory(Node node, byte[] path, FileStatus? existing)
    {
        if (existing is { Kind: FileKind.Symlink })
            throw new RestoreRefusedException(path, "is a symlink where the snapshot has a directory; restoring through it could write outside the destination");
        bool isNew = existing is not { Kind: FileKind.Directory };
        string kind = existing is null ? RestoreAction.Create
            : !isNew && ExistingFile.DirectoryMatches(node, path, existing.Value, options.SetOwners) ? RestoreAction.Unchanged
            : RestoreAction.Replace;
        int at = _actions.Count;
        _actions.Add(new RestoreAction(kind, PathBytes.Display(path)));

        (ulong Device, ulong Inode) self = default;
        if (!options.DryRun)
        {
            if (existing is { } inTheWay && isNew) PutAside(path, inTheWay);
            if (isNew) PosixFs.MakeDirectory(path, PrivateDirectory);
            self = RequireDirectory(path, null);
            if (isNew && IsTop(path)) UnfinishedRestore.Mark(path, node);
            if (Resuming && !isNew) RemoveTemporaries(path);
        }
        if (node.Flags.HasFlag(NodeFlags.Unreadable))
            report($"{PathBytes.Display(path)}: could not be read when the snapshot was taken; its contents were not recorded");

        Node[] children = [];
        bool listed = false;
        try { children = source.ReadDirectory(node); listed = true; }
        catch (Exception e) when (IsSourceFailure(e))
        {
            _actions[at] = Failure(path, $"the directory's entries cannot be read from the snapshot: {e.Message}");
            report(_actions[at].Detail!);
        }
        CheckNames(children, path);
        int before = _actions.Count;
        foreach (var child in children)
        {
            if (!options.DryRun) RequireDirectory(path, self);
            Restore(child, PathBytes.Join(path, child.Name), isNew);
        }
        // Never remove anything on the strength of a listing that could not be read.
        if (options.RemoveExtra && !isNew && listed && !node.Flags.HasFlag(NodeFlags.Unreadable)) RemoveExtras(path, children, self);
        if (options.DryRun) return;
        if (_pendingRenames.Any(p => IsInside(p.Path, path))) FinishReplacements(); // renames inside move its mtime
        if (IsTop(path)) UnfinishedRestore.Done(path); // before its mode is set: a 0555 directory would keep the marker

        if (kind != RestoreAction.Unchanged)
        {
            var problems = ApplyMetadata(path, path, node, isSymlink: false);
            if (problems.Count > 0 && _actions[at].Kind != RestoreAction.Failed) _actions[at] = Failure(path, "restored, but " + string.Join("; ", problems));
        }
        else if (existing!.Value.MTimeNs != node.MTimeNs || _actions.Skip(before).Any(a => a.Kind is RestoreAction.Create or RestoreAction.Replace or RestoreAction.Remove))
            PosixFs.SetTimes(path, _nowNs, node.MTimeNs); // entries made or removed since moved its mtime
    }

    private void RestoreLeaf(Node node, byte[] path, FileStatus? existing)
    {
        if (node.Kind is not (FileKind.Regular or FileKind.Symlink or FileKind.Fifo or FileKind.CharDevice or FileKind.BlockDevice))
        {
            Skip(path, $"a {node.Kind} cannot be restored");
            return;
        }
        if (node.Kind == FileKind.Regular && node.Flags.HasFlag(NodeFlags.Unreadable))
        {
            Skip(path, "could not be read when the snapshot was taken; there is no content to restore");
            return;
        }
        if (node.Kind == FileKind.Regular && node.Flags.HasFlag(NodeFlags.Unstable))
            report($"{PathBytes.Display(path)}: kept changing while the snapshot read it; the content restored is what was read " +
                $"({node.Size} bytes), possibly a mix of older and newer data");
        if (existing is { Kind: FileKind.Directory } && !options.KeepBackup && !options.RemoveExtra)
        {
            Skip(path, "a directory is in the way (keep backups to have it moved aside)");
            return;
        }
        // A name linked to a batched replacement's new file must not be renamed into place before that file is durable.
        if (node.LinkId != 0 && _firstNameOfLink.TryGetValue(node.LinkId, out var pendingFirst) && _pendingRenames.Any(p => ReferenceEquals(p.Temp, pendingFirst)))
            FinishReplacements();
        byte[]? linkTo = node.LinkId != 0 && _firstNameOfLink.TryGetValue(node.LinkId, out var first) ? first : null;
        if (existing is { } current && options.OnlyIfDifferent && ExistingFile.Matches(source, node, path, current, linkTo, options.SetOwners))
        {
            _actions.Add(new RestoreAction(RestoreAction.Unchanged, PathBytes.Display(path)));
            RememberLink(node, path);
            return;
        }
        string kind = existing is null ? RestoreAction.Create : RestoreAction.Replace;
        if (options.DryRun)
        {
            _actions.Add(new RestoreAction(kind, PathBytes.Display(path)));
            RememberLink(node, path);
            return;
        }

        var problems = new List<string>();
        bool batched = BatchReplacements && linkTo is null && existing is { Kind: not FileKind.Directory } && !options.KeepBackup;
        var temp = CreateBeside(path, t =>
        {
            if (linkTo is not null) PosixFs.HardLink(linkTo, t); // the first name already carries content and metadata
            else if (node.Kind == FileKind.Regular) WriteContent(node, t, durable: existing is not null && !batched);
            else if (node.Kind == FileKind.Symlink) PosixFs.Symlink(node.LinkTarget ?? [], t);
            else PosixFs.MakeNode(t, FileKinds.TypeBits(node.Kind) | PrivateFile, node.RDev);
        });
        try
        {
            if (linkTo is null) problems = ApplyMetadata(temp, path, node, node.Kind == FileKind.Symlink);
            if (batched)
            {
                // Until it is renamed, later names of its link group are linked to the new file under its temporary name.
                _pendingRenames.Add((temp, path, _actions.Count, existing!.Value.Device));
                _actions.Add(problems.Count == 0 ? new RestoreAction(kind, PathBytes.Display(path)) : Failure(path, "restored, but " + string.Join("; ", problems)));
                RememberLink(node, temp);
                return;
            }
            if (existing is { } e && (options.KeepBackup || e.Kind == FileKind.Directory)) PutAside(path, e);
            PosixFs.Rename(temp, path);
        }
        catch
        {
            try { PosixFs.Unlink(temp); } catch (PosixException) { }
            throw;
        }
        _actions.Add(problems.Count == 0 ? new RestoreAction(kind, PathBytes.Display(path)) : Failure(path, "restored, but " + string.Join("; ", problems)));
        RememberLink(node, path);
    }

    /// <summary>
    /// Makes the batched replacements (BatchReplacements) durable with one syncfs per filesystem, then renames each
    /// over its file. A replacement that cannot be renamed is a failed action, its temporary file removed.
    /// </summary>
    public void FinishReplacements()
    {
        if (_pendingRenames.Count == 0) return;
        var pending = _pendingRenames.ToList();
        _pendingRenames.Clear();
        var renamed = new Dictionary<byte[], byte[]>(PathBytes.EqualityComparer);
        string? notDurable = null;
        foreach (var first in pending.DistinctBy(p => p.Device))
        {
            try { PosixFs.SyncFilesystemOf(ParentOf(first.Path)); }
            catch (PosixException e) { notDurable = WithoutPath(e); }
        }
        foreach (var p in pending)
        {
            try
            {
                // The new content may not be on the disk (an I/O error): keep the old file rather than risk an empty one.
                if (notDurable is not null) throw new IOException($"its new content could not be made durable ({notDurable})");
                PosixFs.Rename(p.Temp, p.Path);
                renamed[p.Temp] = p.Path;
            }
            catch (Exception e) when (IsFailure(e))
            {
                try { PosixFs.Unlink(p.Temp); } catch (PosixException) { }
                _actions[p.Action] = Failure(p.Path, e.Message);
                report(_actions[p.Action].Detail!);
            }
        }
        foreach (var (id, name) in _firstNameOfLink.ToList())
            if (renamed.TryGetValue(name, out var final)) _firstNameOfLink[id] = final;
    }

    private static bool IsInside(byte[] path, byte[] dir) =>
        path.Length > dir.Length && path.AsSpan().StartsWith(dir) && (path[dir.Length] == (byte)'/' || dir is [(byte)'/']);

    private static byte[] ParentOf(byte[] path)
    {
        int slash = path.AsSpan().LastIndexOf((byte)'/');
        return slash <= 0 ? "/"u8.ToArray() : path[..slash];
    }

    /// <summary>From now on, later names of the node's link group are made hard links to `path`.</summary>
    internal void RememberLink(Node node, byte[] path)
    {
        if (node.LinkId != 0) _firstNameOfLink.TryAdd(node.LinkId, path);
    }

    /// <summary>Data leaves written at their offsets, holes skipped, then the length set: the copy stays sparse.</summary>
    private void WriteContent(Node node, byte[] path, bool durable)
    {
        using var handle = PosixFs.CreateWrite(path, PrivateFile, exclusive: true);
        source.WriteContent(node, handle);
        PosixFs.Truncate(handle, node.Content.Length, path);
        if (durable) PosixFs.Fsync(handle, PathBytes.Display(path)); // it is about to replace a file: no empty file after a crash
    }

    /// <summary>
    /// Owner first (chown clears setuid bits and capabilities), then xattrs (ACLs, security.capability), then the
    /// mode (which also sets the ACL mask), then the times. Returns what could not be set.
    /// </summary>
    private List<string> ApplyMetadata(byte[] path, byte[] shownAs, Node node, bool isSymlink)
    {
        var problems = new List<string>();
        bool owned = options.SetOwners;
        if (options.SetOwners)
        {
            try { PosixFs.LChown(path, node.Uid, node.Gid); }
            catch (PosixException e) { problems.Add(WithoutPath(e)); owned = false; }
        }
        foreach (var (name, value) in node.Xattrs)
        {
            try { PosixFs.SetXattr(path, name, value); }
            catch (PosixException e) { problems.Add(WithoutPath(e)); }
        }
        if (!isSymlink)
        {
            // Without the recorded owner, setuid/setgid would be granted to whoever restores: leave them off.
            try { PosixFs.Chmod(path, owned ? node.Mode : node.Mode & ~SetIdBits); }
            catch (PosixException e) { problems.Add(WithoutPath(e)); }
        }
        try { PosixFs.SetTimes(path, _nowNs, node.MTimeNs); }
        catch (PosixException e) { problems.Add(WithoutPath(e)); }
        foreach (var p in problems) report($"{PathBytes.Display(shownAs)}: {p}");
        return problems;
    }

    /// <summary>
    /// Sets a node's metadata on an existing file in place (a rollback's metadata-only change): xattrs the node does
    /// not have are removed first, then as ApplyMetadata. Returns what could not be set.
    /// </summary>
    internal List<string> ApplyMetadataInPlace(byte[] path, Node node)
    {
        var problems = new List<string>();
        foreach (var (name, _) in PosixFs.ReadXattrs(path))
            if (!node.Xattrs.Any(x => x.Key.AsSpan().SequenceEqual(name)))
            {
                try { PosixFs.RemoveXattr(path, name); }
                catch (PosixException e) { problems.Add(WithoutPath(e)); report($"{PathBytes.Display(path)}: {WithoutPath(e)}"); }
            }
        problems.AddRange(ApplyMetadata(path, path, node, node.Kind == FileKind.Symlink));
        return problems;
    }

    // "lchown: Operation not permitted" from "/dest/.tt-restore-1a2b3c: lchown: ...": the temporary name means nothing to anyone.
    private static string WithoutPath(PosixException e) =>
        e.Message.StartsWith(e.PathText + ": ", StringComparison.Ordinal) ? e.Message[(e.PathText.Length + 2)..] : e.Message;

    /// <summary>
    /// Moves what is at `path` out of the way of what replaces it: to NAME.yesterday~ (a file hard-linked, so it stays
    /// in place until the rename replaces it; else renamed), or without backups removed.
    /// </summary>
    private void PutAside(byte[] path, FileStatus existing)
    {
        if (!options.KeepBackup)
        {
            if (existing.Kind != FileKind.Directory) PosixFs.Unlink(path);
            else RemoveTree(path, existing, existing.Device);
            return;
        }
        var backup = FreeBackupName(path);
        if (existing.Kind == FileKind.Directory) { RenameNoReplace(path, backup); return; }
        try { PosixFs.HardLink(path, backup); }
        catch (PosixException e) when (e.Errno != 17 /* EEXIST: taken meanwhile; never overwrite a backup */) { RenameNoReplace(path, backup); }
    }

    /// <summary>
    /// Where a replaced file is kept: NAME.yesterday~, or when that is taken (an earlier restore's backup, the unsaved
    /// work it protects), NAME.yesterday~1~, ~2~, ... as `cp --backup=numbered` does: the first free number. No backup
    /// is ever overwritten.
    /// </summary>
    private byte[] FreeBackupName(byte[] path)
    {
        var backup = Concat(path, PathBytes.From(options.BackupSuffix));
        for (int n = 1; PosixFs.TryLStat(backup, out _); n++) backup = Concat(path, PathBytes.From($"{options.BackupSuffix}{n}~"));
        return backup;
    }

    // rename(2) replaces what is at `to`: check first, so that a backup made meanwhile is refused rather than lost.
    private static void RenameNoReplace(byte[] from, byte[] to)
    {
        if (PosixFs.TryLStat(to, out _)) throw new IOException($"{PathBytes.Display(to)}: appeared while being made a backup; nothing replaced");
        PosixFs.Rename(from, to);
    }

    /// <summary>NAME.yesterday~ or NAME.yesterday~N~: a backup that a rollback leaves alone.</summary>
    private bool IsBackup(ReadOnlySpan<byte> name)
    {
        var suffix = PathBytes.From(options.BackupSuffix).AsSpan();
        if (name.EndsWith(suffix)) return true;
        int at = name.LastIndexOf(suffix);
        if (at < 0) return false;
        var number = name[(at + suffix.Length)..];
        return number.Length >= 2 && number[^1] == (byte)'~' && number[..^1].IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;
    }

    private bool IsTop(byte[] path) => path.AsSpan().SequenceEqual(Top);

    /// <summary>The temporary files an interrupted restore left in a directory it was writing.</summary>
    private void RemoveTemporaries(byte[] dir)
    {
        foreach (var e in PosixFs.ReadDirectory(dir))
            if (e.Name.AsSpan().StartsWith(TemporaryPrefix) && !UnfinishedRestore.IsMarker(e.Name)
                && PosixFs.TryLStat(PathBytes.Join(dir, e.Name), out var st) && st.Kind != FileKind.Directory)
                PosixFs.Unlink(PathBytes.Join(dir, e.Name));
    }

    /// <summary>
    /// The rollback of a directory: what is in it now but not in the snapshot is moved aside to NAME.yesterday~ (or,
    /// without backups, removed), in name order. Backups of earlier restores and restores in progress are left alone.
    /// </summary>
    private void RemoveExtras(byte[] dir, Node[] children, (ulong Device, ulong Inode) self)
    {
        List<DirectoryEntryName> present;
        try { present = PosixFs.ReadDirectory(dir); }
        catch (PosixException e)
        {
            if (options.DryRun && e.Errno == 2 /* ENOENT */) return;
            _actions.Add(Failure(dir, e.Message));
            report(_actions[^1].Detail!);
            return;
        }
        ulong? device = PosixFs.TryLStat(dir, out var d) ? d.Device : null;
        present.Sort((a, b) => a.Name.AsSpan().SequenceCompareTo(b.Name));
        foreach (var entry in present)
        {
            if (TreeReader.Find(children, entry.Name) is not null) continue;
            if (IsBackup(entry.Name) || entry.Name.AsSpan().StartsWith(TemporaryPrefix)) continue;
            var path = PathBytes.Join(dir, entry.Name);
            if (options.MayRemove is { } may && !may(path, entry.Name)) continue;
            // What no snapshot records: a socket, another filesystem mounted here.
            if (!PosixFs.TryLStat(path, out var now) || now.Kind == FileKind.Socket || now.Device != device) continue;
            string shown = PathBytes.Display(path);
            byte[] backup = FreeBackupName(path);
            string detail = options.KeepBackup ? $"kept as {PathBytes.Display(backup.AsSpan(dir.Length + (dir is [(byte)'/'] ? 0 : 1)))}" : "removed";
            if (options.DryRun) { _actions.Add(new RestoreAction(RestoreAction.Remove, shown) { Detail = detail }); continue; }
            try
            {
                RequireDirectory(dir, self);
                if (!PosixFs.TryLStat(path, out var st)) continue; // gone meanwhile
                if (options.KeepBackup) RenameNoReplace(path, backup);
                else if (st.Kind == FileKind.Directory) RemoveTree(path, st, self.Device);
                else PosixFs.Unlink(path);
                _actions.Add(new RestoreAction(RestoreAction.Remove, shown) { Detail = detail });
            }
            catch (Exception e) when (e is IOException and not RestoreRefusedException)
            {
                _actions.Add(Failure(path, e.Message));
                report(_actions[^1].Detail!);
            }
        }
    }

    /// <summary>rm -r without following symlinks and without crossing into another filesystem mounted below.</summary>
    internal static void RemoveTree(byte[] path, FileStatus st, ulong device)
    {
        if (st.Kind != FileKind.Directory) { PosixFs.Unlink(path); return; }
        if (st.Device != device)
            throw new IOException($"{PathBytes.Display(path)}: another filesystem is mounted here; not removed");
        var entries = PosixFs.ReadDirectory(path);
        // opendir follows a symlink: make sure what was listed is still the directory lstat saw.
        if (!PosixFs.TryLStat(path, out var again) || (again.Device, again.Inode) != (st.Device, st.Inode) || again.Kind != FileKind.Directory)
            throw new IOException($"{PathBytes.Display(path)}: was replaced while being removed; not removed");
        foreach (var e in entries)
        {
            var child = PathBytes.Join(path, e.Name);
            if (PosixFs.TryLStat(child, out var cs)) RemoveTree(child, cs, device);
        }
        PosixFs.RemoveDirectory(path);
    }

    /// <summary>Creates something under a fresh temporary name in the same directory as `path`; returns that name.</summary>
    private static byte[] CreateBeside(byte[] path, Action<byte[]> create)
    {
        int slash = path.AsSpan().LastIndexOf((byte)'/');
        for (int attempt = 0; ; attempt++)
        {
            var name = PathBytes.From($"{Temporary}{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}");
            var parent = slash < 0 ? "."u8.ToArray() : slash == 0 ? "/"u8.ToArray() : path[..slash];
            var temp = slash < 0 ? name : PathBytes.Join(parent, name);
            try { create(temp); return temp; }
            catch (PosixException e) when (e.Errno == 17 /* EEXIST */)
            {
                if (attempt >= 5) throw; // the name is taken (by someone else: not ours to remove); try another
            }
            catch (PosixException e) when (e.Errno is 2 or 20 /* ENOENT, ENOTDIR */ && !PosixFs.TryLStat(parent, out _))
            {
                // The temporary name means nothing to anyone: name the target and what is missing.
                throw new IOException($"{PathBytes.Display(path)}: cannot be created: the directory {PathBytes.Display(parent)} does not exist", e);
            }
            catch
            {
                try { PosixFs.Unlink(temp); } catch (PosixException) { } // made, then failed while being filled
                throw;
            }
        }
    }

    /// <summary>lstat must show a real directory (and, once known, the same one): never descend through a symlink.</summary>
    private static (ulong, ulong) RequireDirectory(byte[] path, (ulong Device, ulong Inode)? expected)
    {
        if (!PosixFs.TryLStat(path, out var st))
            throw new RestoreRefusedException(path, "vanished while being restored");
        if (st.Kind != FileKind.Directory)
            throw new RestoreRefusedException(path, $"is a {st.Kind.ToString().ToLowerInvariant()}, not a directory; refusing to write through it");
        if (expected is { } e && (e.Device, e.Inode) != (st.Device, st.Inode))
            throw new RestoreRefusedException(path, "was replaced by another directory while being restored");
        return (st.Device, st.Inode);
    }

    private void Skip(byte[] path, string why)
    {
        report($"{PathBytes.Display(path)}: {why}");
        _actions.Add(new RestoreAction(RestoreAction.Skip, PathBytes.Display(path)) { Detail = why });
    }

    private static RestoreAction Failure(byte[] path, string message)
    {
        string where = PathBytes.Display(path);
        string detail = message.StartsWith(where + ":", StringComparison.Ordinal) ? message : $"{where}: {message}";
        return new RestoreAction(RestoreAction.Failed, where) { Detail = detail };
    }

    // A directory or block of the snapshot that cannot be read (damage in the store, a permission in the mount).
    private static bool IsSourceFailure(Exception e) => e is InvalidDataException or IOException and not RestoreRefusedException or UnauthorizedAccessException;
    private static bool IsFailure(Exception e) => e is IOException or InvalidDataException or UnauthorizedAccessException;

    private static byte[] Concat(byte[] a, byte[] b)
    {
        var r = new byte[a.Length + b.Length];
        a.CopyTo(r, 0);
        b.CopyTo(r, a.Length);
        return r;
    }
}
