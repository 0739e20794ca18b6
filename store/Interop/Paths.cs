// Byte-path helpers shared by the interop wrappers: Linux paths are bytes and need a trailing NUL.
namespace TimeTravel.Store.Interop;

internal static class Paths
{
    public static byte[] NulTerminated(ReadOnlySpan<byte> path)
    {
        var z = new byte[path.Length + 1];
        path.CopyTo(z);
        return z;
    }
}
