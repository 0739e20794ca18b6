// A score names a block: the SHA-256 of its uncompressed content (Venti's word for it).
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace TimeTravel.Store.Scores;

[StructLayout(LayoutKind.Sequential)]
public readonly struct Score : IEquatable<Score>, IComparable<Score>
{
    public const int Size = 32;

    // Held as four big-endian words so that comparing words compares bytes in order.
    private readonly ulong _a, _b, _c, _d;

    public static readonly Score Zero = default;

    private Score(ulong a, ulong b, ulong c, ulong d) { _a = a; _b = b; _c = c; _d = d; }

    public static Score Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Size) throw new ArgumentException("a score is 32 bytes", nameof(bytes));
        return new Score(
            BinaryPrimitives.ReadUInt64BigEndian(bytes),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]));
    }

    public void Write(Span<byte> dest)
    {
        BinaryPrimitives.WriteUInt64BigEndian(dest, _a);
        BinaryPrimitives.WriteUInt64BigEndian(dest[8..], _b);
        BinaryPrimitives.WriteUInt64BigEndian(dest[16..], _c);
        BinaryPrimitives.WriteUInt64BigEndian(dest[24..], _d);
    }

    public byte[] ToBytes() { var b = new byte[Size]; Write(b); return b; }

    public static Score Of(ReadOnlySpan<byte> content)
    {
        Span<byte> hash = stackalloc byte[Size];
        SHA256.HashData(content, hash);
        return Read(hash);
    }

    public bool IsZero => _a == 0 && _b == 0 && _c == 0 && _d == 0;

    /// <summary>The first 64 bits, uniformly distributed: used for index placement and Bloom filters.</summary>
    public ulong Prefix => _a;

    /// <summary>Further independent 64-bit words for Bloom filter probes.</summary>
    public ulong Word(int i) => i switch { 0 => _a, 1 => _b, 2 => _c, _ => _d };

    public static Score Parse(string hex)
    {
        if (hex.Length != Size * 2) throw new FormatException($"a score is 64 hex digits, not '{hex}'");
        return Read(Convert.FromHexString(hex));
    }

    public static bool TryParse(string hex, out Score score)
    {
        score = default;
        if (hex.Length != Size * 2) return false;
        try { score = Parse(hex); return true; } catch (FormatException) { return false; }
    }

    public override string ToString() => Convert.ToHexStringLower(ToBytes());
    public string Short => ToString()[..12];

    public bool Equals(Score other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;
    public override bool Equals(object? obj) => obj is Score s && Equals(s);
    public override int GetHashCode() => (int)_a ^ (int)(_a >> 32);
    public int CompareTo(Score o)
    {
        int c = _a.CompareTo(o._a); if (c != 0) return c;
        c = _b.CompareTo(o._b); if (c != 0) return c;
        c = _c.CompareTo(o._c); if (c != 0) return c;
        return _d.CompareTo(o._d);
    }
    public static bool operator ==(Score x, Score y) => x.Equals(y);
    public static bool operator !=(Score x, Score y) => !x.Equals(y);
}
