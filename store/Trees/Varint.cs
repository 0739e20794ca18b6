// LEB128 unsigned and zigzag signed integers, as used in directory blocks.
namespace TimeTravel.Store.Trees;

public static class Varint
{
    public static void Write(List<byte> o, ulong v)
    {
        while (v >= 0x80) { o.Add((byte)(v | 0x80)); v >>= 7; }
        o.Add((byte)v);
    }

    public static void WriteSigned(List<byte> o, long v) => Write(o, (ulong)((v << 1) ^ (v >> 63)));

    public static ulong Read(ReadOnlySpan<byte> s, ref int pos)
    {
        ulong v = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (pos >= s.Length) throw new InvalidDataException("truncated integer");
            byte b = s[pos++];
            v |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return v;
        }
        throw new InvalidDataException("integer longer than 64 bits");
    }

    public static long ReadSigned(ReadOnlySpan<byte> s, ref int pos)
    {
        ulong u = Read(s, ref pos);
        return (long)(u >> 1) ^ -(long)(u & 1);
    }
}
