// Who made a request, for the answers that depend on it (the .history view): the fsuid and fsgid from
// fuse_req_ctx and the supplementary groups, which libfuse reads from /proc/PID/task/PID/status. Read only when
// asked, so requests that do not need them cost nothing; valid only while the request is being answered.
using TimeTravel.Fs.Interop;

namespace TimeTravel.Fs.Fuse;

public readonly unsafe struct Caller
{
    private readonly nint _request;
    private readonly Credentials? _given;

    internal Caller(nint request) { _request = request; _given = null; }

    private Caller(Credentials given) { _request = 0; _given = given; }

    /// <summary>A caller with known credentials, for callers other than the kernel (tests, in-process use).</summary>
    public static Caller With(Credentials credentials) => new(credentials);

    public Credentials Credentials()
    {
        if (_given is not null) return _given;
        if (_request == 0) throw new InvalidOperationException("a Caller made neither from a request nor from credentials");
        FuseCtx* ctx = LibFuse.fuse_req_ctx(_request);
        return new Credentials(ctx->uid, ctx->gid, Groups());
    }

    // Null when they cannot be read; the answer is the count, which may exceed the room given: ask again with enough.
    private uint[]? Groups()
    {
        var groups = new uint[32];
        while (true)
        {
            int n;
            fixed (uint* p = groups) n = LibFuse.fuse_req_getgroups(_request, groups.Length, p);
            if (n < 0) return null;
            if (n <= groups.Length) return groups[..n];
            groups = new uint[n];
        }
    }
}
