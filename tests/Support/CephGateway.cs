// One throwaway Ceph cluster with its S3 gateway (radosgw) on 127.0.0.1, shared by every test that needs a real
// object store (issue 14): scripts/ceph-rgw.sh starts it in a fresh temp directory on the first free port from 7480
// (about 6 s), and Dispose stops it by the pids the script recorded (about 1 s), also when tests failed. Tests join
// with [Collection(CephGateway.Collection)] and [NeedsCeph], and take a CephGateway in their constructor; tests of
// one collection run one at a time, so StopGateway in one test never surprises another.
using System.Diagnostics;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace TimeTravel.Tests;

[CollectionDefinition(CephGateway.Collection)]
public sealed class CephGatewayCollection : ICollectionFixture<CephGateway>;

public sealed class CephGateway : IDisposable
{
    public const string Collection = "ceph gateway";
    private const int FirstPort = 7480;
    private const int PortsToTry = 40;
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(3);

    /// <summary>The cluster's directory: ceph.conf, keyring, pids, env, log/ (see scripts/ceph-rgw.sh).</summary>
    public string Directory { get; }
    public int Port { get; }
    /// <summary>"http://127.0.0.1:PORT"; buckets are addressed path-style (http://127.0.0.1:PORT/BUCKET/KEY).</summary>
    public string Endpoint { get; }
    public string AccessKey { get; }
    public string SecretKey { get; }
    /// <summary>AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION: what a child process needs.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }
    /// <summary>What the start script printed: each daemon's time to come up.</summary>
    public string StartupLog { get; }

    private readonly string _script;
    private bool _stopped;

    public CephGateway(IMessageSink diagnostics) : this(diagnostics, store: "bluestore") { }

    /// <summary>A cluster of its own, with the OSD's data in STORE (bluestore or memstore); the caller disposes it.</summary>
    internal CephGateway(IMessageSink? diagnostics, string store)
    {
        _script = FindScript();
        foreach (var tool in new[] { "ceph-mon", "ceph-osd", "radosgw", "ceph", "curl" })
            if (!Shell.Exists(tool))
                throw new InvalidOperationException(
                    $"{tool} is missing: the Ceph tests need ceph-mon ceph-osd radosgw ceph-common curl (run-tests.sh installs them)");
        Directory = TempDir.Create("tt-ceph-");
        try
        {
            (Port, StartupLog) = StartOnFreePort(store);
            Environment = ReadEnvironment(Path.Combine(Directory, "env"));
            Endpoint = Environment["AWS_ENDPOINT_URL"];
            AccessKey = Environment["AWS_ACCESS_KEY_ID"];
            SecretKey = Environment["AWS_SECRET_ACCESS_KEY"];
        }
        catch
        {
            Stop();
            throw;
        }
        // A test host that ends without disposing its fixtures (an unhandled exception) still stops the daemons;
        // a SIGKILLed one cannot, and `scripts/ceph-rgw.sh stop DIR` cleans up by hand.
        AppDomain.CurrentDomain.ProcessExit += StopAtExit;
        diagnostics?.OnMessage(new DiagnosticMessage($"ceph gateway on {Endpoint} ({Directory}):\n{StartupLog}"));
    }

    /// <summary>A new empty bucket, named after HINT and unique (S3 names: 3-63 of a-z, 0-9 and '-').</summary>
    public string NewBucket(string hint)
    {
        var cleaned = new string(hint.ToLowerInvariant().Select(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' ? c : '-').ToArray());
        cleaned = string.Join('-', cleaned.Split('-', StringSplitOptions.RemoveEmptyEntries));
        if (cleaned.Length > 40) cleaned = cleaned[..40].TrimEnd('-');
        var unique = Guid.NewGuid().ToString("N")[..12];
        var name = cleaned.Length > 0 ? $"tt-{cleaned}-{unique}" : $"tt-{unique}";
        using var client = NewClient();
        client.PutBucketAsync(name).GetAwaiter().GetResult();
        return name;
    }

    /// <summary>An S3 client for this gateway: path-style, and checksums only where S3 requires them (the 4.x SDK
    /// otherwise sends trailing CRC checksums with aws-chunked bodies, which Ceph 16's radosgw does not take).</summary>
    public AmazonS3Client NewClient() => new(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config
    {
        ServiceURL = Endpoint,
        ForcePathStyle = true,
        AuthenticationRegion = Environment["AWS_REGION"],
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    /// <summary>The pids of the running daemons by name (mon, osd, rgw), as the script recorded them.</summary>
    public IReadOnlyDictionary<string, int> Pids()
    {
        var file = Path.Combine(Directory, "pids");
        if (!File.Exists(file)) return new Dictionary<string, int>();
        return File.ReadAllLines(file).Select(l => l.Split(' ')).ToDictionary(p => p[0], p => int.Parse(p[1]));
    }

    /// <summary>Stops radosgw only (SIGTERM to its pid, waited for): requests are refused until StartGateway.</summary>
    public void StopGateway() => RunScript("stop-gateway", Directory);

    /// <summary>Starts radosgw again on the same port and returns once it answers; the data is where it was.</summary>
    public void StartGateway() => RunScript("start-gateway", Directory);

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= StopAtExit;
        Stop();
    }

    private void StopAtExit(object? sender, EventArgs e) => Stop();

    private void Stop()
    {
        if (_stopped) return;
        _stopped = true;
        try { RunScript("stop", Directory); }
        finally { Shell.Try("rm", "-rf", "--one-file-system", Directory); }
    }

    private (int Port, string Log) StartOnFreePort(string store)
    {
        for (int port = FirstPort; port < FirstPort + PortsToTry; port++)
        {
            if (!IsFree(port) || !IsFree(port + 100)) continue;
            var (code, output) = Script(new() { ["CEPH_STORE"] = store }, "start", Directory, port.ToString());
            if (code == 0) return (port, output);
            // Another cluster (another test run) took the port between the check and the start: try the next.
            if (output.Contains("is in use")) continue;
            throw new InvalidOperationException($"scripts/ceph-rgw.sh start {Directory} {port} exited {code}:\n{output}");
        }
        throw new InvalidOperationException($"no free port pair (S3 PORT, mon PORT+100) in {FirstPort}..{FirstPort + PortsToTry - 1}");
    }

    internal static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void RunScript(params string[] args)
    {
        var (code, output) = Script([], args);
        if (code != 0) throw new InvalidOperationException($"scripts/ceph-rgw.sh {string.Join(' ', args)} exited {code}:\n{output}");
    }

    /// <summary>Runs the script with a bounded wait; its stdout and stderr together (it reports on stderr).</summary>
    private (int Code, string Output) Script(Dictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo(_script, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment) psi.Environment[key] = value;
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(ScriptTimeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"scripts/ceph-rgw.sh {string.Join(' ', args)} did not finish in {ScriptTimeout}");
        }
        return (p.ExitCode, output.Result + err.Result);
    }

    private static Dictionary<string, string> ReadEnvironment(string file) =>
        File.ReadAllLines(file).Where(l => l.Contains('='))
            .ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..]);

    internal static string FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var script = Path.Combine(dir.FullName, "scripts", "ceph-rgw.sh");
            if (File.Exists(script)) return script;
        }
        throw new FileNotFoundException($"scripts/ceph-rgw.sh not found above {AppContext.BaseDirectory}");
    }
}
