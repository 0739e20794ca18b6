// A read-only filesystem as FuseMount serves it: inode-number operations with managed results and errno returns.
using TimeTravel.Fs.Interop;
using TimeTravel.Store.Interop;

namespace TimeTravel.Fs.Fuse;

// Every method returning int returns 0 or a positive errno (Errno.*); a negative one is accepted too.
// Methods run concurrently on libfuse's worker threads. An exception becomes EIO for that request.
// Inode 1 is the root. Names are raw bytes without the NUL; they need not be UTF-8.
// Writes never reach the filesystem: the host answers EROFS to every modifying request.
public interface ILowLevelFileSystem
{
    // Once, before the first request. Adjust connection.Want (FuseCap bits) or tuning fields here.
    void Init(ref FuseConnection connection) { }

    // Find `name` in directory `parent` for `caller`. Each successful answer (Ino != 0) adds one to the inode's lookup count.
    int Lookup(ulong parent, ReadOnlySpan<byte> name, Caller caller, out FuseEntry entry);

    // The kernel dropped `count` lookups of `ino` (no reply is sent).
    void Forget(ulong ino, ulong count) { }

    int GetAttr(ulong ino, out InodeAttributes attributes, out double timeout);

    // The target of a symlink, without a NUL.
    int ReadLink(ulong ino, out ReadOnlySpan<byte> target) { target = default; return Errno.EINVAL; }

    // Called for read-only opens only (the host rejects the others with EROFS). flags are open(2) flags.
    int Open(ulong ino, int flags, out OpenResult result) { result = default; return 0; }

    // Fill `buffer` (its length is the requested size) from `offset`; bytesRead < length only at end of file.
    int Read(ulong ino, ulong handle, long offset, Span<byte> buffer, out int bytesRead);

    void Release(ulong ino, ulong handle) { }

    int OpenDir(ulong ino, int flags, out OpenResult result) { result = default; return 0; }

    // Add entries starting at `offset` (0 = the beginning) until buffer.TryAdd returns false; each entry
    // carries the offset of the entry after it. Return 0 with nothing added at the end of the directory.
    int ReadDir(ulong ino, ulong handle, long offset, Caller caller, ref DirectoryBuffer buffer);

    void ReleaseDir(ulong ino, ulong handle) { }

    int StatFs(ulong ino, out FileSystemStats stats) { stats = default; stats.NameMax = 255; return 0; }

    // The value of xattr `name` (ENODATA if absent). The host handles size probes and ERANGE.
    int GetXattr(ulong ino, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value) { value = default; return Errno.ENODATA; }

    // All xattr names of the inode, each followed by a NUL.
    int ListXattr(ulong ino, out ReadOnlySpan<byte> names) { names = default; return 0; }
}
