// Inode numbers as a pure function of what a file is, so they are stable across remounts (restic's idea):
// a snapshot directory from the snapshot's id, a name inside it from its parent's number and the name,
// and the names of one hard-linked file from the snapshot and the file's link id, so they share a number.
namespace TimeTravel.Fs.Snapshots;

public static class InodeNumbers
{
    public const ulong Root = 1;

    public static ulong ForRootEntry(string name) => Fix(Mix(0x726f6f74, Fnv(System.Text.Encoding.UTF8.GetBytes(name))));

    public static ulong ForChild(ulong parent, ReadOnlySpan<byte> name) => Fix(Mix(parent, Fnv(name)));

    public static ulong ForHardLink(long snapshotId, ulong linkId) => Fix(Mix((ulong)snapshotId ^ 0x6c696e6b00000000, linkId));

    private static ulong Fnv(ReadOnlySpan<byte> s)
    {
        ulong h = 0xcbf29ce484222325;
        foreach (byte b in s) { h ^= b; h *= 0x100000001b3; }
        return h;
    }

    private static ulong Mix(ulong a, ulong b)
    {
        ulong x = a * 0x9E3779B97F4A7C15 + b;
        x ^= x >> 31; x *= 0xBF58476D1CE4E5B9; x ^= x >> 29; x *= 0x94D049BB133111EB; x ^= x >> 32;
        return x;
    }

    // 0 and 1 are not file numbers (1 is the root); keep numbers below 2^63 for tools that read them as signed.
    private static ulong Fix(ulong x) { x &= 0x7FFF_FFFF_FFFF_FFFF; return x < 2 ? x + 2 : x; }
}
