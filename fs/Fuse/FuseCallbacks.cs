// The [UnmanagedCallersOnly] functions libfuse calls: each finds its FuseMount, calls the filesystem and replies once.
using System.Runtime.InteropServices;
using TimeTravel.Fs.Interop;
using TimeTravel.Store.Interop;

namespace TimeTravel.Fs.Fuse;

// An exception escaping one of these would kill the process, so each body catches everything and
// replies EIO. The reply is always the last statement of the try, so a request is never answered twice.
internal static unsafe class FuseCallbacks
{
    public static FuseLowLevelOps Table() => new()
    {
        init = &Init,
        lookup = &Lookup,
        forget = &Forget,
        getattr = &GetAttr,
        readlink = &ReadLink,
        open = &Open,
        read = &Read,
        release = &Release,
        opendir = &OpenDir,
        readdir = &ReadDir,
        readdirplus = &ReadDirPlus,
        releasedir = &ReleaseDir,
        statfs = &StatFs,
        getxattr = &GetXattr,
        listxattr = &ListXattr,
        // Everything that would modify the tree answers EROFS (reached only without -o ro).
        setattr = &SetAttr,
        mknod = &MkNod,
        mkdir = &MkDir,
        unlink = &NameOp,
        rmdir = &NameOp,
        symlink = &Symlink,
        rename = &Rename,
        link = &Link,
        write = &Write,
        create = &Create,
        setxattr = &SetXattr,
        removexattr = &NameOp,
        fallocate = &Fallocate,
        copy_file_range = &CopyFileRange,
    };

    private static FuseMount MountOf(nint req) => FuseSession.OwnerOfRequest(req);

    private static int Positive(int errno) => errno < 0 ? -errno : errno;

    private static void Fail(nint req, string op, Exception e)
    {
        try { MountOf(req).ReportError(op, e); } catch { /* reporting must not stop the reply */ }
        LibFuse.fuse_reply_err(req, Errno.EIO);
    }

    [UnmanagedCallersOnly]
    private static void Init(nint userdata, FuseConnInfo* conn)
    {
        FuseMount? mount = null;
        try
        {
            mount = FuseSession.OwnerOf(userdata);
            var c = new FuseConnection
            {
                ProtocolMajor = conn->proto_major, ProtocolMinor = conn->proto_minor,
                Capable = conn->capable, Want = conn->want, MaxReadahead = conn->max_readahead,
                MaxBackground = conn->max_background, CongestionThreshold = conn->congestion_threshold,
                TimeGranularity = conn->time_gran,
            };
            mount.FileSystem.Init(ref c);
            // Asking for an unsupported capability makes libfuse abort the session, so mask it.
            conn->want = c.Want & conn->capable;
            conn->max_readahead = c.MaxReadahead;
            conn->max_background = c.MaxBackground;
            conn->congestion_threshold = c.CongestionThreshold;
            conn->time_gran = c.TimeGranularity;
            // libfuse insists that max_read here equals -o max_read.
            if (mount.Options.MaxRead is int maxRead) conn->max_read = (uint)maxRead;
        }
        catch (Exception e)
        {
            try { mount?.ReportError("init", e); } catch { }
        }
    }

    [UnmanagedCallersOnly]
    private static void Lookup(nint req, ulong parent, byte* name)
    {
        try
        {
            var fs = MountOf(req).FileSystem;
            int err = fs.Lookup(parent, MemoryMarshal.CreateReadOnlySpanFromNullTerminated(name), new Caller(req), out FuseEntry entry);
            if (err != 0) { LibFuse.fuse_reply_err(req, Positive(err)); return; }
            FuseEntryParam e = NativeConvert.ToEntryParam(entry);
            LibFuse.fuse_reply_entry(req, &e);
        }
        catch (Exception e) { Fail(req, "lookup", e); }
    }

    [UnmanagedCallersOnly]
    private static void Forget(nint req, ulong ino, ulong nlookup)
    {
        try { MountOf(req).FileSystem.Forget(ino, nlookup); }
        catch (Exception e) { try { MountOf(req).ReportError("forget", e); } catch { } }
        LibFuse.fuse_reply_none(req);
    }

    [UnmanagedCallersOnly]
    private static void GetAttr(nint req, ulong ino, FuseFileInfo* fi)
    {
        try
        {
            int err = MountOf(req).FileSystem.GetAttr(ino, out InodeAttributes attributes, out double timeout);
            if (err != 0) { LibFuse.fuse_reply_err(req, Positive(err)); return; }
            Stat st = NativeConvert.ToStat(attributes);
            LibFuse.fuse_reply_attr(req, &st, timeout);
        }
        catch (Exception e) { Fail(req, "getattr", e); }
    }

    [UnmanagedCallersOnly]
    private static void ReadLink(nint req, ulong ino)
    {
        try
        {
            int err = MountOf(req).FileSystem.ReadLink(ino, out ReadOnlySpan<byte> target);
            if (err != 0) { LibFuse.fuse_reply_err(req, Positive(err)); return; }
            byte[] z = ScratchBuffer.Get(target.Length + 1); // fuse_reply_readlink wants a C string
            target.CopyTo(z);
            z[target.Length] = 0;
            fixed (byte* p = z) LibFuse.fuse_reply_readlink(req, p);
        }
        catch (Exception e) { Fail(req, "readlink", e); }
    }

    [UnmanagedCallersOnly]
    private static void Open(nint req, ulong ino, FuseFileInfo* fi)
    {
        try
        {
            if ((fi->flags & ModeBits.O_ACCMODE) != ModeBits.O_RDONLY) { LibFuse.fuse_reply_err(req, Errno.EROFS); return; }
            int err = MountOf(req).FileSystem.Open(ino, fi->flags, out OpenResult result);
            if (err != 0) { LibFuse.fuse_reply_err(req, Positive(err)); return; }
            fi->fh = result.Handle;
            fi->bits |= NativeConvert.ToBits(result);
            LibFuse.fuse_reply_open(req, fi);
        }
        catch (Exception e) { Fail(req, "open", e); }
    }

    [UnmanagedCallersOnly]
    private static void Read(nint req, ulong ino, nuint size, long off, FuseFileInfo* fi)
    {
        try
        {
            int length = (int)size;
            byte[] buffer = ScratchBuffer.Get(length);
            int err = MountOf(req).FileSystem.Read(ino, fi->fh, off, buffer.AsSpan(0, length), out int n);
            if (err != 0) { LibFuse.fuse_reply_err(req, Positive(err)); return; }
            if ((uint)n > (uint)length) throw new InvalidOperationException($"Read returned {n} bytes for a {length}-byte request");
            fixed (byte* p = buffer) LibFuse.fuse_reply_buf(req, p, (nuint)n); // copies before returning
        }
        catch (Exception e) { Fail(req, "read", e); }
    }

    [UnmanagedCallersOnly]
    private static void Release(nint req, ulong ino, FuseFileInfo* fi)
    {
        try
        {
            MountOf(req).FileSystem.Release(ino, fi->fh);
            LibFuse.fuse_reply_err(req, 0);
        }
        catch (Exception e) { Fail(req, "release", e); }
    }

    [UnmanagedCallersOnly]
    private static void OpenDir(nint req, ulong ino, FuseFileInfo* fi)
    {
        try
        {
            int err = MountOf(req).FileSystem.OpenDir(ino, fi->flags, out OpenResult result);
            if (err != 0) { LibFuse.fuse_reply_err(req, Positive(err)); return; }
            fi->fh = result.Handle;
            fi->bits |= NativeConvert.ToBits(result);
            LibFuse.fuse_reply_open(req, fi);
        }
        catch (Exception e) { Fail(req, "opendir", e); }
    }

    [UnmanagedCallersOnly]
    private static void ReadDir(nint req, ulong ino, nuint size, long off, FuseFileInfo* fi)
    {
        try { ReplyDirectory(req, ino, size, off, fi, plus: false); }
        catch (Exception e) { Fail(req, "readdir", e); }
    }

    [UnmanagedCallersOnly]
    private static void ReadDirPlus(nint req, ulong ino, nuint size, long off, FuseFileInfo* fi)
    {
        try { ReplyDirectory(req, ino, size, off, fi, plus: true); }
        catch (Exception e) { Fail(req, "readdirplus", e); }
    }

    private static void ReplyDirectory(nint req, ulong ino, nuint size, long off, FuseFileInfo* fi, bool plus)
    {
        byte[] scratch = ScratchBuffer.Get((int)size);
        var buffer = new DirectoryBuffer(req, scratch.AsSpan(0, (int)size), plus);
        int err = MountOf(req).FileSystem.ReadDir(ino, fi->fh, off, new Caller(req), ref buffer);
        if (err != 0) { LibFuse.fuse_reply_err(req, Positive(err)); return; }
        fixed (byte* p = scratch) LibFuse.fuse_reply_buf(req, p, (nuint)buffer.Length);
    }

    [UnmanagedCallersOnly]
    private static void ReleaseDir(nint req, ulong ino, FuseFileInfo* fi)
    {
        try
        {
            MountOf(req).FileSystem.ReleaseDir(ino, fi->fh);
            LibFuse.fuse_reply_err(req, 0);
        }
        catch (Exception e) { Fail(req, "releasedir", e); }
    }

    [UnmanagedCallersOnly]
    private static void StatFs(nint req, ulong ino)
    {
        try
        {
            int err = MountOf(req).FileSystem.StatFs(ino, out FileSystemStats stats);
            if (err != 0) { LibFuse.fuse_reply_err(req, Positive(err)); return; }
            StatVfs st = NativeConvert.ToStatVfs(stats);
            LibFuse.fuse_reply_statfs(req, &st);
        }
        catch (Exception e) { Fail(req, "statfs", e); }
    }

    [UnmanagedCallersOnly]
    private static void GetXattr(nint req, ulong ino, byte* name, nuint size)
    {
        try
        {
            var fs = MountOf(req).FileSystem;
            int err = fs.GetXattr(ino, MemoryMarshal.CreateReadOnlySpanFromNullTerminated(name), out ReadOnlySpan<byte> value);
            ReplyXattr(req, err, value, size);
        }
        catch (Exception e) { Fail(req, "getxattr", e); }
    }

    [UnmanagedCallersOnly]
    private static void ListXattr(nint req, ulong ino, nuint size)
    {
        try
        {
            int err = MountOf(req).FileSystem.ListXattr(ino, out ReadOnlySpan<byte> names);
            ReplyXattr(req, err, names, size);
        }
        catch (Exception e) { Fail(req, "listxattr", e); }
    }

    // size 0 asks for the length only; a value longer than the caller's buffer is ERANGE.
    private static void ReplyXattr(nint req, int err, ReadOnlySpan<byte> value, nuint size)
    {
        if (err != 0) LibFuse.fuse_reply_err(req, Positive(err));
        else if (size == 0) LibFuse.fuse_reply_xattr(req, (nuint)value.Length);
        else if ((nuint)value.Length > size) LibFuse.fuse_reply_err(req, Errno.ERANGE);
        else fixed (byte* p = value) LibFuse.fuse_reply_buf(req, p, (nuint)value.Length);
    }

    // --- modifying requests: read-only filesystem ---

    [UnmanagedCallersOnly]
    private static void SetAttr(nint req, ulong ino, Stat* attr, int toSet, FuseFileInfo* fi) => LibFuse.fuse_reply_err(req, Errno.EROFS);

    [UnmanagedCallersOnly]
    private static void MkNod(nint req, ulong parent, byte* name, uint mode, ulong rdev) => LibFuse.fuse_reply_err(req, Errno.EROFS);

    [UnmanagedCallersOnly]
    private static void MkDir(nint req, ulong parent, byte* name, uint mode) => LibFuse.fuse_reply_err(req, Errno.EROFS);

    // unlink, rmdir and removexattr share the shape (req, ino, name).
    [UnmanagedCallersOnly]
    private static void NameOp(nint req, ulong ino, byte* name) => LibFuse.fuse_reply_err(req, Errno.EROFS);

    [UnmanagedCallersOnly]
    private static void Symlink(nint req, byte* link, ulong parent, byte* name) => LibFuse.fuse_reply_err(req, Errno.EROFS);

    [UnmanagedCallersOnly]
    private static void Rename(nint req, ulong parent, byte* name, ulong newParent, byte* newName, uint flags) => LibFuse.fuse_reply_err(req, Errno.EROFS);

    [UnmanagedCallersOnly]
    private static void Link(nint req, ulong ino, ulong newParent, byte* newName) => LibFuse.fuse_reply_err(req, Errno.EROFS);

    [UnmanagedCallersOnly]
    private static void Write(nint req, ulong ino, byte* buf, nuint size, long off, FuseFileInfo* fi) => LibFuse.fuse_reply_err(req, Errno.EROFS);

    [UnmanagedCallersOnly]
    private static void Create(nint req, ulong parent, byte* name, uint mode, FuseFileInfo* fi) => LibFuse.fuse_reply_err(req, Errno.EROFS);

    [UnmanagedCallersOnly]
    private static void SetXattr(nint req, ulong ino, byte* name, byte* value, nuint size, int flags) => LibFuse.fuse_reply_err(req, Errno.EROFS);

    [UnmanagedCallersOnly]
    private static void Fallocate(nint req, ulong ino, int mode, long offset, long length, FuseFileInfo* fi) => LibFuse.fuse_reply_err(req, Errno.EROFS);

    [UnmanagedCallersOnly]
    private static void CopyFileRange(nint req, ulong inoIn, long offIn, FuseFileInfo* fiIn, ulong inoOut, long offOut, FuseFileInfo* fiOut, nuint len, int flags) =>
        LibFuse.fuse_reply_err(req, Errno.EROFS);
}
