// Turns what the SDK throws into one ObjectStoreException whose message a user can act on: which object
// (s3://BUCKET/PREFIX/KEY), which endpoint, and the cause in words ("connection refused", "access denied: check
// AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY", "no bucket B") rather than an SDK stack of HttpRequestExceptions.
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using TimeTravel.Store.Objects;

namespace TimeTravel.Remote.S3;

internal static class S3Failure
{
    public static bool IsNotFound(Exception e) =>
        e is AmazonS3Exception s3 && (s3.StatusCode == HttpStatusCode.NotFound && s3.ErrorCode is null or "" or "NoSuchKey" or "NotFound");

    public static ObjectStoreException Describe(string what, string objectName, S3Settings settings, string bucket, Exception e, TimeSpan deadline)
    {
        string cause = Cause(e, settings, bucket, deadline);
        return new ObjectStoreException($"{objectName}: cannot {what}: {cause} (endpoint {settings.EndpointName})", e);
    }

    private static string Cause(Exception e, S3Settings settings, string bucket, TimeSpan deadline)
    {
        if (e is OperationCanceledException)
            return $"no answer within {deadline.TotalSeconds:0} s";
        if (e is AmazonS3Exception s3)
        {
            switch (s3.ErrorCode)
            {
                case "NoSuchBucket": return $"no bucket {bucket}";
                case "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "AccessDenied" or "InvalidToken" or "ExpiredToken":
                    return $"access denied ({s3.ErrorCode}): check {settings.CredentialsFrom}";
            }
            if (s3.StatusCode == HttpStatusCode.Forbidden) return $"access denied (403): check {settings.CredentialsFrom}";
            return $"{(int)s3.StatusCode} {s3.ErrorCode}: {s3.Message}";
        }
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused (is the S3 endpoint running?)",
                    SocketError.HostNotFound or SocketError.NoData => "host not found",
                    SocketError.TimedOut => "connection timed out",
                    SocketError.ConnectionReset => "connection reset by the endpoint",
                    _ => socket.Message,
                };
            if (inner is TimeoutException) return $"no answer within {deadline.TotalSeconds:0} s";
        }
        if (e is AmazonClientException && e.InnerException is { } cause) return cause.Message;
        return e.Message;
    }
}
