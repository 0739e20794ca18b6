// A BPF map reached through a descriptor (a pin opened with bpf_obj_get, or a loaded object's map): typed lookup,
// walk, lookup-and-delete and update over the key and value structs of RangeMapLayout.
using System.Runtime.InteropServices;
using TimeTravel.Store.Interop;

namespace TimeTravel.Kernel.Interop;

internal sealed unsafe class BpfMap : IDisposable
{
    private readonly FileDescriptor? _owned;
    private readonly int _fd;

    private BpfMap(FileDescriptor? owned, int fd) { _owned = owned; _fd = fd; }

    /// <summary>Opens the map pinned at <paramref name="path"/>; null and the errno (ENOENT: no pin) on failure.</summary>
    public static BpfMap? OpenPinned(string path, out int errno)
    {
        int fd = Libbpf.ObjGet(path);
        errno = fd < 0 ? Math.Max(Errno.Last, 1) : 0;
        if (fd < 0) return null;
        var owned = new FileDescriptor();
        Marshal.InitHandle(owned, fd);
        return new BpfMap(owned, fd);
    }

    /// <summary>A view of a descriptor someone else owns (a loaded object's map).</summary>
    public static BpfMap Borrow(int fd) => new(null, fd);

    public int Descriptor => _fd;

    public bool TryLookup<TKey, TValue>(in TKey key, out TValue value) where TKey : unmanaged where TValue : unmanaged
    {
        TKey k = key;
        TValue v;
        bool found = Libbpf.MapLookupElem(_fd, &k, &v) == 0;
        if (!found) ThrowUnlessMissing("lookup");
        value = found ? v : default;
        return found;
    }

    /// <summary>The key after <paramref name="previous"/> (null: the first); false at the end. A previous key that
    /// was deleted meanwhile restarts the walk at the first key, as the kernel does.</summary>
    public bool TryNextKey<TKey>(TKey? previous, out TKey next) where TKey : unmanaged
    {
        TKey n;
        int rc;
        if (previous is { } p) rc = Libbpf.MapGetNextKey(_fd, &p, &n);
        else rc = Libbpf.MapGetNextKey(_fd, null, &n);
        if (rc != 0) ThrowUnlessMissing("get_next_key");
        next = rc == 0 ? n : default;
        return rc == 0;
    }

    /// <summary>Removes the entry and returns the value it had when removed; false when there was none.</summary>
    public bool TryLookupAndDelete<TKey, TValue>(in TKey key, out TValue value) where TKey : unmanaged where TValue : unmanaged
    {
        TKey k = key;
        TValue v;
        bool found = Libbpf.MapLookupAndDeleteElem(_fd, &k, &v) == 0;
        if (!found) ThrowUnlessMissing("lookup_and_delete");
        value = found ? v : default;
        return found;
    }

    /// <summary>Writes the entry (flags BPF_ANY or BPF_NOEXIST); 0 or the errno (EEXIST, E2BIG: map full).</summary>
    public int Update<TKey, TValue>(in TKey key, in TValue value, ulong flags) where TKey : unmanaged where TValue : unmanaged
    {
        TKey k = key;
        TValue v = value;
        return Libbpf.MapUpdateElem(_fd, &k, &v, flags) == 0 ? 0 : Math.Max(Errno.Last, 1);
    }

    private static void ThrowUnlessMissing(string what)
    {
        int errno = Errno.Last;
        if (errno != Errno.ENOENT) throw new IOException($"bpf map {what} failed: " + Errno.Describe(errno));
    }

    public void Dispose() => _owned?.Dispose();
}
