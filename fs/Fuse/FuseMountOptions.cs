// How FuseMount mounts: the -o options given to libfuse and the loop's threading.
namespace TimeTravel.Fs.Fuse;

public sealed class FuseMountOptions
{
    public bool ReadOnly { get; init; } = true;           // -o ro: the kernel answers EROFS to writes itself
    public bool AllowOther { get; init; }                 // -o allow_other (non-root needs user_allow_other in /etc/fuse.conf)
    public bool DefaultPermissions { get; init; }         // -o default_permissions: the kernel checks mode bits
    public bool AutoUnmount { get; init; }                // -o auto_unmount: fusermount3 unmounts if the process dies
    public string? FsName { get; init; }                  // -o fsname=: the "device" column of mount(8)
    public string? Subtype { get; init; }                 // -o subtype=: shown as fuse.<subtype>
    public int? MaxRead { get; init; }                    // -o max_read= (bytes), also set in init as libfuse demands
    public int MaxThreads { get; init; } = 10;            // libfuse's default
    public bool CloneFd { get; init; }                    // one /dev/fuse fd per worker thread
    public bool Debug { get; init; }                      // -d: libfuse traces every request to stderr
    public int? ReadAheadKilobytes { get; init; }         // written to the mount's /sys/class/bdi/MAJ:MIN/read_ahead_kb (root only)
    public IReadOnlyList<string> ExtraOptions { get; init; } = [];  // more -o options, passed verbatim

    // Called when a filesystem method throws (the request already got EIO). Null writes to stderr.
    public Action<string, Exception>? OnCallbackError { get; init; }

    internal List<string> ToArguments()
    {
        var args = new List<string> { "timetravel" };
        void Option(string o) { args.Add("-o"); args.Add(o); }
        if (Debug) args.Add("-d");
        if (ReadOnly) Option("ro");
        if (AllowOther) Option("allow_other");
        if (DefaultPermissions) Option("default_permissions");
        if (AutoUnmount) Option("auto_unmount");
        if (FsName is not null) Option("fsname=" + Escape(FsName));
        if (Subtype is not null) Option("subtype=" + Escape(Subtype));
        if (MaxRead is int m) Option("max_read=" + m);
        foreach (var o in ExtraOptions) Option(o);
        return args;
    }

    // fuse_opt splits -o values at commas; a backslash escapes the next character.
    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace(",", "\\,");
}
