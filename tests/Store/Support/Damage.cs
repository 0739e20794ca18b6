// Damage made on purpose: tests that check a corrupt store is caught flip bits of one byte in place.
namespace TimeTravel.Tests.Store.Support;

public static class Damage
{
    /// <summary>XORs the byte at <paramref name="offset"/> (from the end when negative) of a file with <paramref name="mask"/>.</summary>
    public static void FlipBits(string path, long offset, byte mask = 0xFF)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        f.Position = offset >= 0 ? offset : f.Length + offset;
        int b = f.ReadByte();
        f.Position -= 1;
        f.WriteByte((byte)(b ^ mask));
    }
}
