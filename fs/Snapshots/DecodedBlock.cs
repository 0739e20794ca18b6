// A data block decoded for the mount, in a buffer borrowed from the array pool. The cache holds one reference and each
// reader copying out of it holds one more; the buffer goes back to the pool when the last is released, so a block
// evicted while a reader copies from it is never handed to another block mid-copy. Reusing buffers keeps the daemon
// on memory it has already touched: fresh arrays for every block of a cold 1 GiB read cost page faults and zeroing.
using System.Buffers;

namespace TimeTravel.Fs.Snapshots;

public sealed class DecodedBlock(byte[] buffer, int length, ArrayPool<byte>? pool)
{
    private int _references = 1; // the cache's

    public ReadOnlySpan<byte> Content => buffer.AsSpan(0, length);
    public int Length => length;

    /// <summary>Takes a reference; false when the block was already released (evicted and nobody reading).</summary>
    public bool TryAcquire()
    {
        for (int seen = Volatile.Read(ref _references); seen > 0; seen = Volatile.Read(ref _references))
            if (Interlocked.CompareExchange(ref _references, seen + 1, seen) == seen) return true;
        return false;
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0) pool?.Return(buffer);
    }
}
