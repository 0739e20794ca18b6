// The one place an object store is opened from an address a user typed: `s3://BUCKET[/PREFIX]` is a bucket (reached
// as the environment says, see S3Settings), `file:///path` or a plain path is a directory of objects.
using TimeTravel.Remote.S3;
using TimeTravel.Store.Objects;

namespace TimeTravel.Remote;

public static class ObjectStores
{
    private const string FileScheme = "file://";

    public static IObjectStore Open(string address) => Open(address, S3Settings.FromEnvironment);

    /// <summary>As Open(address), with the S3 settings from `settings` (asked only for an s3:// address).</summary>
    public static IObjectStore Open(string address, Func<S3Settings> settings)
    {
        if (string.IsNullOrWhiteSpace(address)) throw new FormatException("an object store address may not be empty: give s3://BUCKET[/PREFIX] or a directory");
        if (S3Address.Looks(address)) return new S3ObjectStore(S3Address.Parse(address), settings());
        if (address.StartsWith(FileScheme, StringComparison.OrdinalIgnoreCase))
        {
            string rest = address[FileScheme.Length..];
            if (!rest.StartsWith('/')) throw new FormatException($"'{address}': a file:// address takes an absolute path, like file:///srv/objects");
            return new DirectoryObjectStore(Uri.UnescapeDataString(rest));
        }
        int scheme = address.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0 && address[..scheme].All(char.IsAsciiLetterOrDigit))
            throw new FormatException($"'{address}': no object store of kind '{address[..scheme]}'; give s3://BUCKET[/PREFIX], file:///PATH or a directory");
        return new DirectoryObjectStore(address);
    }
}
