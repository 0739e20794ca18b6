// A store in a bucket on a real Ceph radosgw, driven as an admin drives it: the timetravel program with the AWS
// variables and its own cache directory per "machine" (issue 14). A snapshot goes to the bucket and comes back byte
// for byte on a fresh machine, which also mounts every snapshot; two hosts with overlapping data share blocks; kill -9
// mid-upload and a gateway stopped mid-snapshot lose nothing committed; gc runs while two hosts keep writing.
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Fs.Mounting.Support;
using Xunit;

namespace TimeTravel.Tests.Remote.Bucket;

[NeedsCeph]
[Collection(CephGateway.Collection)]
public sealed class BucketStoreCephTests(CephGateway ceph) : IDisposable
{
    private readonly TempDir _dir = new("tt-bucketceph");

    public void Dispose() => _dir.Dispose();

    // One machine: its cache root (TIMETRAVEL_CACHE) and the host name it writes as.
    private sealed record Machine(string Cache, string Host);

    private Machine NewMachine(string host) => new(_dir[$"machine-{host}-{Guid.NewGuid():N}"[..32]], host);

    // The gateway's AWS variables and the machine's own cache directory, for the child alone.
    private Dictionary<string, string> Environment(Machine m) =>
        new(ceph.Environment) { ["TIMETRAVEL_CACHE"] = m.Cache, ["TZ"] = "UTC" };

    private TimeTravelCli.Running Start(Machine m, string address, params string[] args) =>
        TimeTravelCli.StartWith(Environment(m), address, args);

    private CliResult Run(Machine m, string address, params string[] args)
    {
        using var p = Start(m, address, args);
        return p.Wait(180_000);
    }

    private CliResult Ok(Machine m, string address, params string[] args)
    {
        var r = Run(m, address, args);
        Assert.True(r.ExitCode == 0, $"timetravel {string.Join(' ', args)}: {r}");
        return r;
    }

    private static void RandomFile(string path, int seed, int length)
    {
        var b = new byte[length];
        new Random(seed).NextBytes(b);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, b);
    }

    private string Source(string name, int seed, int bigMiB = 6)
    {
        string src = _dir[name];
        RandomFile(Path.Combine(src, "big.img"), seed, bigMiB << 20);
        for (int i = 0; i < 20; i++) File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(src, "etc")).FullName, $"f{i}.conf"), $"setting {i} {seed}\n");
        File.CreateSymbolicLink(Path.Combine(src, "link"), "etc/f1.conf");
        File.SetUnixFileMode(Path.Combine(src, "etc", "f2.conf"), UnixFileMode.UserRead);
        return src;
    }

    private static void AssertSameTree(string expected, string actual)
    {
        var r = Shell.Try("diff", "-r", "--no-dereference", expected, actual);
        Assert.True(r.Code == 0, $"{expected} and {actual} differ: {r.Out}{r.Err}");
        foreach (var f in Directory.EnumerateFiles(expected, "*", SearchOption.AllDirectories))
        {
            string other = Path.Combine(actual, Path.GetRelativePath(expected, f));
            Assert.Equal(File.GetUnixFileMode(f), File.GetUnixFileMode(other));
        }
    }

    private long ArenaBytesOfSlot(string bucket, string prefix, uint slot)
    {
        using var client = ceph.NewClient();
        long total = 0;
        string? token = null;
        do
        {
            var page = client.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = bucket, Prefix = prefix + "/arenas/", ContinuationToken = token }).GetAwaiter().GetResult();
            foreach (var o in page.S3Objects ?? [])
            {
                uint n = Convert.ToUInt32(Path.GetFileNameWithoutExtension(o.Key), 16);
                if (n >> 20 == slot) total += o.Size ?? 0;
            }
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        } while (token is not null);
        return total;
    }

    private static uint SlotOf(Machine m, string bucket, string prefix)
    {
        var link = File.ReadAllLines(Path.Combine(m.Cache, "s3", bucket, prefix, "bucket"));
        return uint.Parse(link.Single(l => l.StartsWith("slot ")).Split(' ')[1]);
    }

    [Fact]
    [NeedsFuse]
    public void ASnapshotComesBackByteIdenticalAndAFreshMachineRecoversAndMountsEverySnapshot()
    {
        string bucket = ceph.NewBucket("roundtrip"), address = $"s3://{bucket}/backups";
        string src = Source("src", seed: 1);
        var web = NewMachine("web1");
        Ok(web, address, "init", "--host", "web1", src);
        Ok(web, address, "snapshot");
        string first = _dir["first"];
        Shell.Run("cp", "-a", src, first);
        File.WriteAllText(Path.Combine(src, "etc", "f3.conf"), "changed\n");
        RandomFile(Path.Combine(src, "new.bin"), 9, 300_000);
        Ok(web, address, "snapshot");

        // The machine is lost: a new one with an empty disk gets everything from the bucket.
        var fresh = NewMachine("web1");
        var init = Ok(fresh, address, "init", "--existing", "--host", "web1");
        Assert.Contains("2 snapshots", init.Stderr);
        var names = Ok(fresh, address, "list", "--json").Stdout;
        Assert.Equal(2, System.Text.Json.JsonDocument.Parse(names).RootElement.GetArrayLength());
        Ok(fresh, address, "verify", "--read-data");
        string restored = _dir["restored"];
        Ok(fresh, address, "restore", "latest", src, "--to", restored);
        AssertSameTree(src, restored);

        string mp = TempDir.Create("tt-bucket-mp-");
        try
        {
            Ok(fresh, address, "mount", mp);
            var snapshots = Directory.EnumerateDirectories(mp).Select(Path.GetFileName).Where(n => n!.Contains('_')).Order().ToList(); // not the day links
            Assert.Equal(2, snapshots.Count);
            AssertSameTree(first, Path.Combine(mp, snapshots[0]!) + src);
            AssertSameTree(src, Path.Combine(mp, snapshots[1]!) + src);
        }
        finally
        {
            TimeTravelCli.Exec("umount", mp);
            if (Mounts.IsMounted(mp)) Mounts.ForceUnmount(mp);
            Mounts.RemoveTree(mp);
        }
    }

    [Fact]
    public void TwoHostsWithOverlappingDataSnapshotAtOnceAndTheSecondUploadsOnlyWhatTheFirstDidNot()
    {
        string bucket = ceph.NewBucket("twohosts"), address = $"s3://{bucket}/fleet";
        // web1 is backed up already; web2 is a clone of it with 10% of its own, and both are backed up again at once.
        string src1 = Source("web1", seed: 2, bigMiB: 12);
        var web1 = NewMachine("web1");
        Ok(web1, address, "init", "--host", "web1", src1);
        Ok(web1, address, "snapshot");
        string src2 = _dir["web2"];
        Shell.Run("cp", "-a", src1, src2);
        RandomFile(Path.Combine(src2, "own.bin"), 3, (12 << 20) / 10);
        RandomFile(Path.Combine(src1, "later.bin"), 4, 1 << 20);
        var web2 = NewMachine("web2");
        Ok(web2, address, "init", "--existing", "--host", "web2", src2);

        using var a = Start(web1, address, "snapshot");
        using var b = Start(web2, address, "snapshot");
        var (ra, rb) = (a.Wait(180_000), b.Wait(180_000));
        Assert.True(ra.ExitCode == 0, ra.ToString());
        Assert.True(rb.ExitCode == 0, rb.ToString());

        long data2 = Directory.EnumerateFiles(src2, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        long uploaded2 = ArenaBytesOfSlot(bucket, "fleet", SlotOf(web2, bucket, "fleet"));
        Assert.True(uploaded2 <= data2 * 15 / 100, $"web2 uploaded {uploaded2} of its {data2} bytes");
        Assert.True(uploaded2 >= (12 << 20) / 10, $"web2 uploaded {uploaded2}, less than its own data");

        var viewer = NewMachine("viewer");
        Ok(viewer, address, "init", "--existing", "--host", "viewer");
        var list = Ok(viewer, address, "list").Stdout;
        Assert.Contains("web1", list);
        Assert.Contains("web2", list);
        Ok(viewer, address, "verify", "--read-data");
        Ok(viewer, address, "restore", "web2/latest", src2, "--to", _dir["web2-restored"]);
        AssertSameTree(src2, _dir["web2-restored"]);
    }

    [Fact]
    public void Kill9MidUploadLosesNothingAndTheNextSnapshotAndVerifyPass()
    {
        string bucket = ceph.NewBucket("kill9"), address = $"s3://{bucket}/s";
        string src = Source("src", seed: 5, bigMiB: 40);
        var m = NewMachine("host1");
        Ok(m, address, "init", "--host", "host1", "--arena-size", (4 << 20).ToString(), src);
        using (var client = ceph.NewClient())
        using (var p = Start(m, address, "snapshot"))
        {
            // Killed once some arenas are in the bucket and the upload goes on.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline && !p.HasExited)
            {
                var listing = client.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = bucket, Prefix = "s/arenas/" }).GetAwaiter().GetResult();
                if ((listing.S3Objects?.Count ?? 0) >= 3) break;
                Thread.Sleep(20);
            }
            if (!p.HasExited) p.Kill9();
            p.Wait();
        }
        File.WriteAllText(Path.Combine(src, "etc", "after.conf"), "after the crash\n");
        Ok(m, address, "snapshot");
        Ok(m, address, "verify", "--read-data");
        var fresh = NewMachine("host1");
        Ok(fresh, address, "init", "--existing", "--host", "host1");
        Ok(fresh, address, "verify", "--read-data");
        Ok(fresh, address, "restore", "latest", src, "--to", _dir["restored"]);
        AssertSameTree(src, _dir["restored"]);
    }

    [Fact]
    public void AGatewayStoppedDuringASnapshotGivesAClearErrorLosesNothingAndTheNextSnapshotUploadsIt()
    {
        string bucket = ceph.NewBucket("gateway"), address = $"s3://{bucket}/g";
        string src = Source("src", seed: 6, bigMiB: 2);
        var m = NewMachine("host1");
        Ok(m, address, "init", "--host", "host1", src);
        Ok(m, address, "snapshot");
        RandomFile(Path.Combine(src, "while-down.bin"), 7, 3 << 20);
        string during = _dir["during"];
        Shell.Run("cp", "-a", src, during);
        ceph.StopGateway();
        CliResult failed;
        try { failed = Run(m, address, "snapshot"); }
        finally { ceph.StartGateway(); }
        Assert.True(failed.ExitCode != 0, failed.ToString());
        Assert.True(failed.Stderr.Contains("is committed in"), failed.ToString());
        Assert.Contains("is committed in", failed.Stderr);
        Assert.Contains(ceph.Endpoint, failed.Stderr);
        Assert.Contains("nothing committed is lost", failed.Stderr);

        File.WriteAllText(Path.Combine(src, "etc", "after.conf"), "after the restart\n");
        Ok(m, address, "snapshot");
        var fresh = NewMachine("host1");
        Ok(fresh, address, "init", "--existing", "--host", "host1");
        var snapshots = System.Text.Json.JsonDocument.Parse(Ok(fresh, address, "list", "--json").Stdout).RootElement;
        Assert.Equal(3, snapshots.GetArrayLength()); // the one taken while the gateway was down came up with the next
        string second = snapshots[1].GetProperty("name").GetString()!;
        Ok(fresh, address, "restore", second, src, "--to", _dir["second"]);
        AssertSameTree(during, _dir["second"]);
        Ok(fresh, address, "verify", "--read-data");
    }

    [Fact]
    public void GcWhileTwoHostsKeepWritingDeletesOnlyWhatNoSnapshotUsesAndEverySnapshotStaysReadable()
    {
        string bucket = ceph.NewBucket("gc"), address = $"s3://{bucket}/gc";
        string src1 = Source("a", seed: 8, bigMiB: 3), src2 = Source("b", seed: 9, bigMiB: 3);
        var a = NewMachine("alpha");
        Ok(a, address, "init", "--host", "alpha", "--arena-size", (1 << 20).ToString(), src1);
        Ok(a, address, "snapshot");
        var b = NewMachine("beta");
        Ok(b, address, "init", "--existing", "--host", "beta", src2);
        var g = NewMachine("gcbox"); // gc need not run where a writer runs
        Ok(g, address, "init", "--existing", "--host", "gcbox");
        // alpha's first snapshot goes; its own blocks become garbage while both hosts write on.
        RandomFile(Path.Combine(src1, "big.img"), 10, 3 << 20);
        Ok(a, address, "snapshot");
        string oldest = System.Text.Json.JsonDocument.Parse(Ok(a, address, "list", "--json").Stdout).RootElement[0].GetProperty("name").GetString()!;
        Ok(a, address, "forget", oldest, "--force");

        using var writerA = Start(a, address, "snapshot");
        using var writerB = Start(b, address, "snapshot");
        var gc1 = Run(g, address, "gc", "--grace", "0s");
        var (ra, rb) = (writerA.Wait(180_000), writerB.Wait(180_000));
        Assert.True(gc1.ExitCode == 0, gc1.ToString());
        Assert.True(ra.ExitCode == 0, ra.ToString());
        Assert.True(rb.ExitCode == 0, rb.ToString());
        var gc2 = Ok(g, address, "gc", "--grace", "0s", "--json");
        Assert.True(System.Text.Json.JsonDocument.Parse(gc2.Stdout).RootElement.GetProperty("deletedArenas").GetInt32() > 0, gc2.ToString());

        var viewer = NewMachine("viewer");
        Ok(viewer, address, "init", "--existing", "--host", "viewer");
        Ok(viewer, address, "verify", "--read-data");
        Ok(viewer, address, "restore", "alpha/latest", src1, "--to", _dir["a-restored"]);
        AssertSameTree(src1, _dir["a-restored"]);
        Ok(viewer, address, "restore", "beta/latest", src2, "--to", _dir["b-restored"]);
        AssertSameTree(src2, _dir["b-restored"]);
    }
}
