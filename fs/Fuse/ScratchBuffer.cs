// One reply buffer per libfuse worker thread, so reads and readdirs allocate nothing in the steady state.
namespace TimeTravel.Fs.Fuse;

internal static class ScratchBuffer
{
    [ThreadStatic] private static byte[]? t_buffer;

    // Workers live as long as the session (libfuse keeps idle threads), so the buffer is reused for
    // every request; it lives on the pinned heap so fixed() costs nothing.
    public static byte[] Get(int size)
    {
        byte[]? b = t_buffer;
        if (b is null || b.Length < size)
        {
            int length = (int)Math.Max(128 * 1024, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)size));
            t_buffer = b = GC.AllocateUninitializedArray<byte>(length, pinned: true);
        }
        return b;
    }
}
