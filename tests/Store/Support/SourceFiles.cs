// Writing and reading source files by byte path (names need not be UTF-8), and deterministic random content.
using TimeTravel.Store.Posix;

namespace TimeTravel.Tests.Store.Support;

public static class SourceFiles
{
    public static byte[] Random(int length, int seed)
    {
        var b = new byte[length];
        new System.Random(seed).NextBytes(b);
        return b;
    }

    public static void Write(byte[] path, ReadOnlySpan<byte> content, uint mode = 0x1A4 /* 0644 */)
    {
        using var h = PosixFs.CreateWrite(path, mode, exclusive: false);
        RandomAccess.Write(h, content, 0);
    }

    public static void Append(byte[] path, ReadOnlySpan<byte> content)
    {
        long size = PosixFs.LStat(path).Size;
        using var h = PosixFs.OpenWrite(path);
        RandomAccess.Write(h, content, size);
    }

    /// <summary>Writes random files of `each` bytes until `total` bytes, named f000, f001...; returns their paths.</summary>
    public static List<string> RandomTree(string dir, long total, int each, int seed)
    {
        Directory.CreateDirectory(dir);
        var paths = new List<string>();
        var rng = new System.Random(seed);
        var buf = new byte[each];
        for (int i = 0; (long)i * each < total; i++)
        {
            rng.NextBytes(buf);
            string p = Path.Combine(dir, $"f{i:D3}");
            File.WriteAllBytes(p, buf);
            paths.Add(p);
        }
        return paths;
    }

    /// <summary>Reads `length` bytes at `offset` of a file named by bytes.</summary>
    public static byte[] ReadAt(byte[] path, long offset, int length)
    {
        using var h = PosixFs.OpenRead(path);
        var b = new byte[length];
        int done = 0;
        while (done < length)
        {
            int n = RandomAccess.Read(h, b.AsSpan(done), offset + done);
            if (n == 0) throw new EndOfStreamException($"{PathBytes.Display(path)} ends before {offset + length}");
            done += n;
        }
        return b;
    }
}
