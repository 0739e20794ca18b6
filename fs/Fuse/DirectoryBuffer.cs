// The reply buffer of one readdir/readdirplus request; the filesystem adds entries until it is full.
using TimeTravel.Fs.Interop;
using TimeTravel.Store.Interop;

namespace TimeTravel.Fs.Fuse;

public unsafe ref struct DirectoryBuffer
{
    private readonly nint _request;
    private readonly Span<byte> _buffer;
    private int _used;

    internal DirectoryBuffer(nint request, Span<byte> buffer, bool plus)
    {
        _request = request;
        _buffer = buffer;
        Plus = plus;
    }

    // readdirplus: the whole FuseEntry is sent and counts as a lookup (except "." and "..").
    // Plain readdir uses only Attributes.Ino and the type bits of Attributes.Mode.
    public bool Plus { get; }

    internal int Length => _used;

    // Adds one entry; false means it did not fit and nothing was added: stop there.
    public bool TryAdd(ReadOnlySpan<byte> name, in FuseEntry entry, long nextOffset)
    {
        // libfuse wants a NUL-terminated name; names are at most 255 bytes on Linux, so the stack is enough.
        Span<byte> z = name.Length < 1024 ? stackalloc byte[name.Length + 1] : new byte[name.Length + 1];
        name.CopyTo(z);
        z[name.Length] = 0;
        Span<byte> free = _buffer[_used..];
        nuint needed;
        fixed (byte* n = z)
        fixed (byte* p = free)
        {
            if (Plus)
            {
                FuseEntryParam e = NativeConvert.ToEntryParam(entry);
                needed = LibFuse.fuse_add_direntry_plus(_request, p, (nuint)free.Length, n, &e, nextOffset);
            }
            else
            {
                Stat st = default;
                st.st_ino = entry.Attributes.Ino;
                st.st_mode = entry.Attributes.Mode;
                needed = LibFuse.fuse_add_direntry(_request, p, (nuint)free.Length, n, &st, nextOffset);
            }
        }
        if (needed > (nuint)free.Length) return false;
        _used += (int)needed;
        return true;
    }
}
