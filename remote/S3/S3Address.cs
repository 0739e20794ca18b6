// Where a store lives in S3: `s3://BUCKET[/PREFIX]`. The bucket must be a valid S3 bucket name (3-63 characters of
// a-z, 0-9, '.', '-'; Ceph answers 400 InvalidBucketName otherwise, a worse message than ours); the prefix is the
// folder of keys the store owns, written without a leading or trailing '/'. Keys the store gives are relative to it.
using System.Net;
using TimeTravel.Store.Objects;

namespace TimeTravel.Remote.S3;

public sealed record S3Address(string Bucket, string Prefix)
{
    public const string Scheme = "s3://";

    public static bool Looks(string address) => address.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses `s3://BUCKET[/PREFIX]`; FormatException saying what is wrong with the address otherwise.</summary>
    public static S3Address Parse(string address)
    {
        if (!Looks(address)) throw new FormatException($"'{address}' is not an S3 address: expected s3://BUCKET[/PREFIX]");
        string rest = address[Scheme.Length..];
        int slash = rest.IndexOf('/');
        string bucket = slash < 0 ? rest : rest[..slash];
        string prefix = slash < 0 ? "" : rest[(slash + 1)..];
        if (bucket.Length == 0) throw new FormatException($"'{address}' names no bucket: expected s3://BUCKET[/PREFIX]");
        if (BucketNameProblem(bucket) is { } problem) throw new FormatException($"'{address}': bucket name '{bucket}' {problem}");
        if (slash >= 0 && prefix.Length == 0)
            throw new FormatException($"'{address}' ends in '/': write s3://{bucket} for the whole bucket");
        if (prefix.StartsWith('/') || prefix.EndsWith('/') || prefix.Contains("//"))
            throw new FormatException($"'{address}': the prefix '{prefix}' may not start or end with '/' or contain '//'; write s3://{bucket}/{prefix.Trim('/')}");
        if (prefix.Length > 0)
        {
            try { ObjectKey.Check(prefix); }
            catch (ArgumentException e) { throw new FormatException($"'{address}': the prefix is not usable: {e.Message}"); }
        }
        return new S3Address(bucket, prefix);
    }

    /// <summary>The bucket's object key for one of the store's keys.</summary>
    public string KeyOf(string key) => Prefix.Length == 0 ? key : $"{Prefix}/{key}";

    /// <summary>The store's key for one of the bucket's object keys under the prefix.</summary>
    public string StoreKeyOf(string objectKey) => Prefix.Length == 0 ? objectKey : objectKey[(Prefix.Length + 1)..];

    public override string ToString() => Prefix.Length == 0 ? $"{Scheme}{Bucket}" : $"{Scheme}{Bucket}/{Prefix}";

    /// <summary>Why the name is no valid S3 bucket name, or null when it is one (the general-purpose bucket rules).</summary>
    public static string? BucketNameProblem(string name)
    {
        if (name.Length is < 3 or > 63) return $"has {name.Length} characters; S3 bucket names have 3 to 63";
        foreach (char c in name)
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '-'))
                return $"contains '{c}'; only lowercase letters, digits, '.' and '-' are allowed";
        if (!char.IsAsciiLetterOrDigit(name[0]) || !char.IsAsciiLetterOrDigit(name[^1]))
            return "must start and end with a letter or a digit";
        if (name.Contains("..")) return "may not contain '..'";
        if (IPAddress.TryParse(name, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && name.Count(c => c == '.') == 3)
            return "may not look like an IP address";
        if (name.StartsWith("xn--", StringComparison.Ordinal)) return "may not start with 'xn--'";
        if (name.EndsWith("-s3alias", StringComparison.Ordinal)) return "may not end with '-s3alias'";
        return null;
    }
}
