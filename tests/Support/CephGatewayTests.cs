// The test Ceph itself: it answers signed S3 requests, serves byte ranges, refuses connections at once while its
// gateway is stopped and keeps the data across a gateway restart, and leaves no daemon behind when disposed.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.S3.Model;
using Xunit;

namespace TimeTravel.Tests;

[Collection(CephGateway.Collection)]
[NeedsCeph]
public sealed class CephGatewayTests(CephGateway ceph)
{
    [Fact]
    public async Task NewBucketIsListedByTheGateway()
    {
        var bucket = ceph.NewBucket("Listed Bucket_1");

        Assert.Matches("^tt-listed-bucket-1-[0-9a-f]{12}$", bucket);
        using var client = ceph.NewClient();
        var buckets = (await client.ListBucketsAsync()).Buckets;
        Assert.Contains(bucket, buckets.Select(b => b.BucketName));
    }

    [Fact]
    public async Task RangedGetReturnsThoseBytesOfWhatWasPut()
    {
        var bucket = ceph.NewBucket("ranged");
        var data = RandomBytes(3 << 20, seed: 14);
        using var client = ceph.NewClient();
        await Put(client, bucket, "arena", data);

        using var ranged = await client.GetObjectAsync(new GetObjectRequest
        {
            BucketName = bucket, Key = "arena", ByteRange = new ByteRange(1_000_000, 1_065_535),
        });

        Assert.Equal(HttpStatusCode.PartialContent, ranged.HttpStatusCode);
        Assert.Equal(data.AsSpan(1_000_000, 65_536).ToArray(), ReadAll(ranged));
    }

    [Fact]
    public async Task StoppedGatewayRefusesConnectionsAtOnceAndRestartedOneStillHasTheData()
    {
        var bucket = ceph.NewBucket("restart");
        var data = RandomBytes(100_000, seed: 7);
        using (var client = ceph.NewClient()) await Put(client, bucket, "kept", data);

        ceph.StopGateway();
        try
        {
            var clock = Stopwatch.StartNew();
            var refused = Assert.Throws<SocketException>(() => new TcpClient().Connect(IPAddress.Loopback, ceph.Port));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"refused after {clock.Elapsed}");
            Assert.DoesNotContain("rgw", ceph.Pids().Keys);
        }
        finally
        {
            ceph.StartGateway();
        }

        using var again = ceph.NewClient();
        using var back = await again.GetObjectAsync(bucket, "kept");
        Assert.Equal(data, ReadAll(back));
    }

    [Fact]
    public void DisposeLeavesNoDaemonOfItsClusterRunning()
    {
        // A second cluster of its own (memstore: it starts faster, and nothing is kept).
        var other = new CephGateway(diagnostics: null, store: "memstore");
        string dir;
        IReadOnlyDictionary<string, int> pids;
        try
        {
            dir = other.Directory;
            pids = other.Pids();
            Assert.Equal(["mon", "osd", "rgw"], pids.Keys.Order());
            Assert.All(pids.Values, pid => Assert.Contains(dir, LiveProcesses.CommandLine(pid)));
            Assert.NotEqual(ceph.Port, other.Port);
        }
        finally
        {
            other.Dispose();
        }

        Assert.All(pids.Values, pid => Assert.DoesNotContain(dir, LiveProcesses.CommandLine(pid)));
        Assert.Empty(LiveProcesses.Naming(Path.Combine(dir, "ceph.conf")));
        Assert.False(System.IO.Directory.Exists(dir));
    }

    private static Task Put(Amazon.S3.AmazonS3Client client, string bucket, string key, byte[] data) =>
        client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(data) });

    private static byte[] ReadAll(GetObjectResponse response)
    {
        using var copy = new MemoryStream();
        response.ResponseStream.CopyTo(copy);
        return copy.ToArray();
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }
}
