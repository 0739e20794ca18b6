// The first page of a BPF_F_MMAPABLE array map, mapped shared, read and written as 64-bit words with atomic
// operations: the BPF programs add to the same words with atomics, so user space never writes a whole value.
using System.Runtime.InteropServices;
using TimeTravel.Store.Interop;

namespace TimeTravel.Kernel.Interop;

internal sealed unsafe class MappedWords : IDisposable
{
    private const int PageSize = 4096;
    private nint _address;
    private readonly int _count;

    private MappedWords(nint address, int count) { _address = address; _count = count; }

    /// <summary>Maps the first <paramref name="count"/> words of the map behind <paramref name="fd"/>; null and the errno on failure.</summary>
    public static MappedWords? Map(int fd, int count, out int errno)
    {
        nint address = LinuxCalls.Mmap(0, PageSize, LinuxCalls.PROT_READ | LinuxCalls.PROT_WRITE, LinuxCalls.MAP_SHARED, fd, 0);
        errno = address == LinuxCalls.MAP_FAILED ? Math.Max(Errno.Last, 1) : 0;
        return address == LinuxCalls.MAP_FAILED ? null : new MappedWords(address, count);
    }

    public ulong Read(int index) => (ulong)Volatile.Read(ref Word(index));

    public void Write(int index, ulong value) => Volatile.Write(ref Word(index), (long)value);

    /// <summary>Adds one atomically and returns the new value.</summary>
    public ulong Increment(int index) => (ulong)Interlocked.Increment(ref Word(index));

    /// <summary>Sets the word to <paramref name="value"/> if it is <paramref name="expected"/>; whether it was.</summary>
    public bool CompareExchange(int index, ulong expected, ulong value) =>
        Interlocked.CompareExchange(ref Word(index), (long)value, (long)expected) == (long)expected;

    private ref long Word(int index)
    {
        ObjectDisposedException.ThrowIf(_address == 0, this);
        if ((uint)index >= (uint)_count) throw new ArgumentOutOfRangeException(nameof(index), index, "no such word in the mapped state");
        return ref ((long*)_address)[index];
    }

    public void Dispose()
    {
        if (_address == 0) return;
        LinuxCalls.Munmap(_address, PageSize);
        _address = 0;
    }
}
