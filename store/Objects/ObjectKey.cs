// The keys every object store accepts: relative names like "arenas/000001.tta", '/' between parts. One rule set for
// S3 and for a directory, so a store mirrored from one to the other keeps the same keys, and a key can never climb
// out of a directory store ("..") or name a file the directory store keeps for itself.
using System.Text;

namespace TimeTravel.Store.Objects;

public static class ObjectKey
{
    /// <summary>S3's limit on a key, in UTF-8 bytes; the store's prefix counts too, so keys stay well below it.</summary>
    public const int MaxBytes = 1024;

    /// <summary>Temporary files of a directory store's puts start with this; no key part may.</summary>
    public const string TemporaryPrefix = ".tt-put-";

    /// <summary>Throws ArgumentException naming the key and what is wrong with it.</summary>
    public static void Check(string key)
    {
        if (string.IsNullOrEmpty(key)) throw new ArgumentException("an object key may not be empty", nameof(key));
        if (Encoding.UTF8.GetByteCount(key) > MaxBytes)
            throw new ArgumentException($"object key '{key[..40]}...' is longer than {MaxBytes} bytes", nameof(key));
        if (key.Contains('\0')) throw new ArgumentException($"object key '{key.Replace("\0", "\\0")}' contains a NUL", nameof(key));
        foreach (var part in key.Split('/'))
        {
            if (part.Length == 0)
                throw new ArgumentException($"object key '{key}' has an empty part (a leading, trailing or doubled '/')", nameof(key));
            if (part is "." or "..") throw new ArgumentException($"object key '{key}' has a '{part}' part", nameof(key));
            if (part.StartsWith(TemporaryPrefix, StringComparison.Ordinal))
                throw new ArgumentException($"object key '{key}' has a part starting with '{TemporaryPrefix}', kept for temporary files", nameof(key));
        }
    }

    /// <summary>Key order as S3 lists them: by UTF-8 bytes (ordinal UTF-16 order differs only above U+D7FF).</summary>
    public static int Compare(string a, string b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            char x = a[i], y = b[i];
            if (x == y) continue;
            // Surrogates (U+D800-DFFF) encode code points above U+FFFF, whose UTF-8 sorts after U+E000-FFFF.
            bool xs = char.IsSurrogate(x), ys = char.IsSurrogate(y);
            if (xs != ys && x >= 0xD800 && y >= 0xD800) return xs ? 1 : -1;
            return x.CompareTo(y);
        }
        return a.Length.CompareTo(b.Length);
    }

    public static readonly IComparer<string> Order = Comparer<string>.Create(Compare);
}
