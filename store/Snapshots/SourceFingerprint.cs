// A short fingerprint of what decides which paths of a source are backed up: its path, its exclude patterns and the
// store directory (always left out). The change tracker and the FastVPS importer record it for every source they
// filter by; a snapshot walks a source whose fingerprint now differs (an exclude was added or removed since).
using System.Security.Cryptography;
using System.Text;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Posix;

namespace TimeTravel.Store.Snapshots;

public static class SourceFingerprint
{
    public static string Of(SourceRecord source, string storeRoot)
    {
        var text = new StringBuilder(PathBytes.Normalize(source.Path)).Append('\0').Append(Path.GetFullPath(storeRoot).TrimEnd('/'));
        foreach (var pattern in source.Excludes) text.Append('\0').Append(pattern);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())), 0, 12).ToLowerInvariant();
    }
}
