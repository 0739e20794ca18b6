// The kernel side of changed-range tracking, held by `timetravel track`: loads kernel/Bpf/range-tracker.bpf.o through
// libbpf, attaches its tracepoint programs, pins its maps (reusing those a previous tracker pinned, so a restart keeps
// what was recorded) and its links (so a crashed tracker keeps recording), and marks the interval with a new session.
// Everything that stops it from running is a BpfUnavailableException with the reason in one line.
using System.Security.Cryptography;
using TimeTravel.Kernel.Interop;
using TimeTravel.Store.Interop;

namespace TimeTravel.Kernel.Ranges;

public sealed class BpfRangeTracker : IDisposable
{
    public const string ObjectFileName = "range-tracker.bpf.o";
    public const string ObjectVariable = "TIMETRAVEL_BPF_OBJECT";
    public const string InstalledDirectory = "/usr/lib/timetravel";

    private readonly BpfObject _object;
    private readonly List<BpfLink> _links;
    private readonly MappedWords _state;
    private readonly RangePins _pins;
    private bool _disposed;

    public ulong Session { get; }

    /// <summary>Optional tracepoints this kernel lacks (their changes are not recorded; see kernel/README.md).</summary>
    public IReadOnlyList<string> MissingHooks { get; }

    private BpfRangeTracker(BpfObject obj, List<BpfLink> links, MappedWords state, RangePins pins, ulong session, IReadOnlyList<string> missing)
    {
        _pins = pins;
        _object = obj;
        _links = links;
        _state = state;
        Session = session;
        MissingHooks = missing;
    }

    /// <summary>The object to load: $TIMETRAVEL_BPF_OBJECT when set, else range-tracker.bpf.o next to the executable,
    /// else in /usr/lib/timetravel; null when there is none.</summary>
    public static string? ObjectPath()
    {
        var configured = Environment.GetEnvironmentVariable(ObjectVariable);
        if (!string.IsNullOrEmpty(configured)) return configured;   // named explicitly: never fall back silently
        foreach (var dir in new[] { AppContext.BaseDirectory, InstalledDirectory })
        {
            var candidate = Path.Combine(dir, ObjectFileName);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Loads and attaches the range tracker with its maps pinned under <paramref name="pinDirectory"/> (on
    /// a bpf filesystem; /sys/fs/bpf is mounted when missing), and starts a new session.</summary>
    public static BpfRangeTracker Start(string objectPath, string pinDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(objectPath);
        ArgumentException.ThrowIfNullOrEmpty(pinDirectory);
        if (!File.Exists(objectPath)) throw new BpfUnavailableException($"the range tracker object {objectPath} does not exist");
        var pins = new RangePins(Path.GetFullPath(pinDirectory));
        PreparePinDirectory(pins.Directory);

        LibbpfLog.Begin();
        using var btf = KernelBtf.Load(out int btfErrno)
            ?? throw new BpfUnavailableException("the kernel has no BTF (/sys/kernel/btf/vmlinux): " + Errno.Describe(btfErrno));

        var (obj, missing) = Load(objectPath, pins, btf, retryWithoutPins: true);
        var links = new List<BpfLink>();
        MappedWords? state = null;
        try
        {
            foreach (var program in obj.Programs().Where(p => !missing.Contains(p.Tracepoint!)))
            {
                var link = BpfObject.Attach(program, out int errno)
                    ?? throw new BpfUnavailableException($"attaching {program.Section} failed: {Errno.Describe(errno)}{LastWarning()}");
                links.Add(link);
            }
            // The new programs run before the ones a crashed tracker left pinned are let go: no write goes unseen.
            pins.DeleteLinks();
            Directory.CreateDirectory(pins.LinksDirectory);
            foreach (var (link, program) in links.Zip(obj.Programs().Where(p => !missing.Contains(p.Tracepoint!))))
                if (link.Pin(pins.Link(program.Name)) is var errno and not 0)
                    throw new BpfUnavailableException($"pinning {program.Name} under {pins.LinksDirectory} failed: {Errno.Describe(errno)}");

            state = MappedWords.Map(obj.MapDescriptor(RangeMapLayout.StateMap), RangeMapLayout.StateWords, out int mapErrno)
                ?? throw new BpfUnavailableException($"mapping {RangeMapLayout.StateMap} failed: {Errno.Describe(mapErrno)}");
            state.Write(RangeMapLayout.LayoutWord, RangeMapLayout.Version);
            ulong session = NewSession();
            state.Write(RangeMapLayout.SessionWord, session);
            return new BpfRangeTracker(obj, links, state, pins, session, missing.Order(StringComparer.Ordinal).ToList());
        }
        catch
        {
            foreach (var link in links) { link.Unpin(); link.Dispose(); }
            state?.Dispose();
            obj.Dispose();
            throw;
        }
    }

    // Opens the object, leaves out optional hooks this kernel lacks, pins (or reuses) the maps and loads. Maps pinned
    // by a tracker of another layout make the load fail: they are removed once and the load tried again (the new
    // session tells readers that what they held is gone).
    private static (BpfObject, HashSet<string> Missing) Load(string objectPath, RangePins pins, KernelBtf btf, bool retryWithoutPins)
    {
        var obj = BpfObject.Open(objectPath, out int openErrno)
            ?? throw new BpfUnavailableException($"cannot open the BPF object {objectPath}: {Errno.Describe(openErrno)}{LastWarning()}");
        try
        {
            var missing = new HashSet<string>(StringComparer.Ordinal);
            foreach (var program in obj.Programs())
            {
                var tracepoint = program.Tracepoint
                    ?? throw new BpfUnavailableException($"{objectPath}: program {program.Name} is in section {program.Section}, not tp_btf/");
                if (btf.HasTracepoint(tracepoint)) continue;
                if (RangeHooks.IsRequired(tracepoint))
                    throw new BpfUnavailableException($"this kernel has no tracepoint {tracepoint}, which the range tracker needs");
                BpfObject.SkipAtLoad(program);
                missing.Add(tracepoint);
            }
            foreach (var map in RangeMapLayout.Maps)
                if (obj.PinMapAt(map, pins.Map(map)) is var errno and not 0)
                    throw new BpfUnavailableException($"{objectPath} has no usable map {map}: {Errno.Describe(errno)}");

            bool hadPins = pins.AnyMapPinned;
            if (obj.Load() is var loadErrno and not 0)
            {
                if (hadPins && retryWithoutPins)
                {
                    obj.Dispose();
                    foreach (var map in RangeMapLayout.Maps) File.Delete(pins.Map(map));
                    LibbpfLog.Begin();
                    return Load(objectPath, pins, btf, retryWithoutPins: false);
                }
                throw new BpfUnavailableException($"loading {objectPath} failed: {Errno.Describe(loadErrno)}{LastWarning()}");
            }
            return (obj, missing);
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

    private static void PreparePinDirectory(string directory)
    {
        if (directory.StartsWith(BpfFilesystem.DefaultMountPoint + "/", StringComparison.Ordinal)
            && BpfFilesystem.IsOn(BpfFilesystem.DefaultMountPoint, out _) == false
            && BpfFilesystem.MountDefault() is var mountErrno and not 0)
            throw new BpfUnavailableException($"mounting the bpf filesystem at {BpfFilesystem.DefaultMountPoint} failed: {Errno.Describe(mountErrno)}");
        try { Directory.CreateDirectory(directory); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BpfUnavailableException($"cannot create the pin directory {directory}: {e.Message}");
        }
        if (BpfFilesystem.IsOn(directory, out int errno) is not true)
            throw new BpfUnavailableException(errno != 0
                ? $"cannot check the pin directory {directory}: {Errno.Describe(errno)}"
                : $"the pin directory {directory} is not on a bpf filesystem");
    }

    // The last thing libbpf warned about (the verifier's complaint, a missing BTF type), after a colon; or nothing.
    private static string LastWarning()
    {
        var warnings = LibbpfLog.Warnings;
        var last = warnings.LastOrDefault(w => !string.IsNullOrWhiteSpace(w) && w.StartsWith("libbpf:", StringComparison.Ordinal))
            ?? warnings.LastOrDefault(w => !string.IsNullOrWhiteSpace(w));
        return last is null ? "" : " (" + last.Trim() + ")";
    }

    private static ulong NewSession()
    {
        Span<byte> bytes = stackalloc byte[8];
        ulong session;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            session = BitConverter.ToUInt64(bytes);
        } while (session == 0);
        return session;
    }

    /// <summary>Detaches the programs, closes the session (0: a reader sees the gap), keeps the maps pinned.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var link in _links) { link.Unpin(); link.Dispose(); }
        // Only now: a change made while the programs were still attached belongs to the closing session.
        // A tracker started since on the same maps owns the session now: leave its session alone.
        _state.CompareExchange(RangeMapLayout.SessionWord, Session, 0);
        _state.Dispose();
        _object.Dispose();
        if (Directory.Exists(_pins.LinksDirectory) && !Directory.EnumerateFileSystemEntries(_pins.LinksDirectory).Any())
            Directory.Delete(_pins.LinksDirectory);
    }
}
