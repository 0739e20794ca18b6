// The store's objects in an S3 bucket (Ceph's RADOS Gateway, or AWS): every key under the address's prefix.
// Synchronous over the SDK's async calls, like the rest of the store. Each call has a deadline that grows with the
// bytes it moves, and the SDK retries at most twice inside it, so a gateway that is down fails a call within seconds
// with a message naming the object, the endpoint and the cause, instead of hanging a snapshot.
//
// Requests counts every request sent: a LIST per page of a listing, a GET per whole or ranged read, a HEAD per Size,
// a DELETE per delete (and per aborted multipart upload); PUT counts a single PUT, and for a multipart upload its
// initiate, each part and its complete (S3 bills all three as PUT-class requests). Retries are not counted.
using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using TimeTravel.Store.Objects;

namespace TimeTravel.Remote.S3;

public sealed class S3ObjectStore : IObjectStore
{
    /// <summary>Files above this go up as a multipart upload with parts sent in parallel (arenas are tens of MiB).</summary>
    public const long DefaultMultipartThreshold = 16L << 20;
    public const long DefaultPartSize = 8L << 20;
    public const int DefaultParallelParts = 4;

    // A request may take this long plus its bytes at the slowest rate we accept before it is given up.
    private static readonly TimeSpan BaseDeadline = TimeSpan.FromSeconds(12);
    private const long SlowestBytesPerSecond = 2L << 20;

    private readonly AmazonS3Client _client;
    private readonly S3Settings _settings;

    public S3Address Address { get; }
    public string Location => Address.ToString();
    public ObjectRequestCounts Requests { get; } = new();

    public long MultipartThreshold { get; init; } = DefaultMultipartThreshold;
    public long PartSize { get; init; } = DefaultPartSize;
    public int ParallelParts { get; init; } = DefaultParallelParts;

    public S3ObjectStore(S3Address address, S3Settings settings)
    {
        Address = address;
        _settings = settings;
        var config = new AmazonS3Config
        {
            // Bounded retries: a refused connection is retried twice with a short backoff, then reported.
            MaxErrorRetry = 2,
            RetryMode = RequestRetryMode.Standard,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            Timeout = TimeSpan.FromMinutes(10), // the per-call deadline below is the real bound
            // The SDK's default is to add CRC32 trailers to every upload (aws-chunked); Ceph Pacific rejects those.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxConnectionsPerServer = 32,
        };
        if (settings.Endpoint is not null)
        {
            config.ServiceURL = settings.Endpoint.ToString();
            config.AuthenticationRegion = settings.Region;
            config.ForcePathStyle = true; // Ceph RGW without wildcard DNS: http://host/bucket/key
        }
        else
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(settings.Region);
        _client = new AmazonS3Client(settings.Credentials, config);
    }

    public void Put(string key, ReadOnlySpan<byte> content)
    {
        string objectKey = ObjectKeyOf(key);
        byte[] copy = content.ToArray(); // the SDK wants a stream it may rewind for a retry
        Requests.CountPut();
        Run("put", key, copy.Length, ct => _client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = Address.Bucket, Key = objectKey, InputStream = new MemoryStream(copy, writable: false), AutoCloseStream = true,
        }, ct));
    }

    public void PutFile(string key, string path)
    {
        string objectKey = ObjectKeyOf(key);
        long size;
        try { size = new FileInfo(path).Length; }
        catch (FileNotFoundException e) { throw new ObjectStoreException($"{NameOf(key)}: cannot put {path}: {e.Message}", e); }
        if (!File.Exists(path)) throw new ObjectStoreException($"{NameOf(key)}: cannot put {path}: no such file");
        if (size <= MultipartThreshold)
        {
            Requests.CountPut();
            Run("put", key, size, ct => _client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = Address.Bucket, Key = objectKey, FilePath = path,
            }, ct));
            return;
        }
        new S3MultipartUpload(this, key, objectKey, path, size).Run();
    }

    public byte[] Get(string key)
    {
        string objectKey = ObjectKeyOf(key);
        Requests.CountGet();
        return Run("get", key, 0, async ct =>
        {
            using var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = Address.Bucket, Key = objectKey }, ct);
            var bytes = new byte[response.ContentLength];
            await response.ResponseStream.ReadExactlyAsync(bytes, ct);
            return bytes;
        }, notFound: () => throw new ObjectNotFoundException(Location, key));
    }

    public int GetRange(string key, long offset, Span<byte> into)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (into.Length == 0) return 0;
        string objectKey = ObjectKeyOf(key);
        Requests.CountGet();
        int length = into.Length;
        byte[] buffer = new byte[length];
        int got = Run("get a range of", key, length, async ct =>
        {
            try
            {
                using var response = await _client.GetObjectAsync(new GetObjectRequest
                {
                    BucketName = Address.Bucket, Key = objectKey, ByteRange = new ByteRange(offset, offset + length - 1),
                }, ct);
                long skip = 0;
                if (response.HttpStatusCode == HttpStatusCode.PartialContent)
                {
                    // Check the server answered the range asked for: a wrong range would hand back the wrong bytes.
                    if (RangeStart(response.ContentRange) is not { } start || start != offset)
                        throw new ObjectStoreException($"{NameOf(key)}: asked for bytes from {offset}, the endpoint sent '{response.ContentRange}'");
                }
                else skip = offset; // a server that ignores Range sends the whole object
                return await ReadAfter(response.ResponseStream, skip, buffer, ct);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                return 0; // the offset is at or past the object's end
            }
        }, notFound: () => throw new ObjectNotFoundException(Location, key));
        buffer.AsSpan(0, got).CopyTo(into);
        return got;
    }

    public long? Size(string key)
    {
        string objectKey = ObjectKeyOf(key);
        Requests.CountHead();
        return Run<long?>("look up", key, 0, async ct =>
            (await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Address.Bucket, Key = objectKey }, ct)).ContentLength,
            notFound: () => null);
    }

    public IReadOnlyList<ObjectEntry> List(string prefix)
    {
        string objectPrefix = Address.Prefix.Length == 0 ? prefix : $"{Address.Prefix}/{prefix}";
        var found = new List<ObjectEntry>();
        string? token = null;
        do
        {
            Requests.CountList();
            var page = Run("list", prefix + "*", 0, ct => _client.ListObjectsV2Async(new ListObjectsV2Request
            {
                BucketName = Address.Bucket, Prefix = objectPrefix, ContinuationToken = token,
            }, ct));
            foreach (var o in page.S3Objects ?? [])
                found.Add(new ObjectEntry(Address.StoreKeyOf(o.Key), o.Size ?? 0, o.LastModified is { } modified ? new DateTimeOffset(modified.ToUniversalTime()) : DateTimeOffset.MinValue));
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        } while (token is not null);
        found.Sort((a, b) => ObjectKey.Compare(a.Key, b.Key));
        return found;
    }

    public void Delete(string key)
    {
        string objectKey = ObjectKeyOf(key);
        Requests.CountDelete();
        Run("delete", key, 0, ct => _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Address.Bucket, Key = objectKey }, ct));
    }

    public void Dispose() => _client.Dispose();

    internal AmazonS3Client Client => _client;

    internal string NameOf(string key) => $"{Location}/{key}";

    /// <summary>Runs one SDK call under a deadline for `bytes` and turns its failure into an ObjectStoreException.</summary>
    internal T Run<T>(string what, string key, long bytes, Func<CancellationToken, Task<T>> call, Func<T>? notFound = null)
    {
        var deadline = DeadlineFor(bytes);
        using var cts = new CancellationTokenSource(deadline);
        try
        {
            return call(cts.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (notFound is not null && S3Failure.IsNotFound(e))
        {
            return notFound();
        }
        catch (Exception e) when (e is not (ObjectStoreException or ObjectNotFoundException))
        {
            throw S3Failure.Describe(what, NameOf(key), _settings, Address.Bucket, e, deadline);
        }
    }

    internal static TimeSpan DeadlineFor(long bytes) => BaseDeadline + TimeSpan.FromSeconds((double)bytes / SlowestBytesPerSecond);

    private string ObjectKeyOf(string key)
    {
        ObjectKey.Check(key);
        return Address.KeyOf(key);
    }

    private static long? RangeStart(string? contentRange)
    {
        // "bytes 100-199/1000"
        if (contentRange is null || !contentRange.StartsWith("bytes ", StringComparison.Ordinal)) return null;
        int dash = contentRange.IndexOf('-');
        return dash > 6 && long.TryParse(contentRange.AsSpan(6, dash - 6), out long start) ? start : null;
    }

    private static async Task<int> ReadAfter(Stream stream, long skip, byte[] into, CancellationToken ct)
    {
        var scratch = skip > 0 ? new byte[Math.Min(skip, 1 << 20)] : [];
        while (skip > 0)
        {
            int n = await stream.ReadAsync(scratch.AsMemory(0, (int)Math.Min(skip, scratch.Length)), ct);
            if (n == 0) return 0;
            skip -= n;
        }
        int filled = 0;
        while (filled < into.Length)
        {
            int n = await stream.ReadAsync(into.AsMemory(filled), ct);
            if (n == 0) break;
            filled += n;
        }
        return filled;
    }
}
