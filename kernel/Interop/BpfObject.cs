// A BPF object file opened through libbpf: its programs, pin paths for its maps, load, attach. Errors come back as
// errno values (positive) for the caller to explain; the object is closed on Dispose (pinned maps stay).
using System.Runtime.InteropServices;
using TimeTravel.Store.Interop;

namespace TimeTravel.Kernel.Interop;

internal sealed class BpfObject : IDisposable
{
    private nint _object;

    private BpfObject(nint handle) => _object = handle;

    /// <summary>Opens (parses, does not load) the object file at <paramref name="path"/>; null and the errno on failure.</summary>
    public static BpfObject? Open(string path, out int errno)
    {
        nint handle = Libbpf.ObjectOpenFile(path, 0);
        errno = handle == 0 ? Math.Max(Errno.Last, 1) : 0;
        return handle == 0 ? null : new BpfObject(handle);
    }

    public IReadOnlyList<BpfProgram> Programs()
    {
        var programs = new List<BpfProgram>();
        for (nint p = Libbpf.ObjectNextProgram(_object, 0); p != 0; p = Libbpf.ObjectNextProgram(_object, p))
            programs.Add(new BpfProgram(p, Marshal.PtrToStringUTF8(Libbpf.ProgramName(p)) ?? "",
                Marshal.PtrToStringUTF8(Libbpf.ProgramSectionName(p)) ?? ""));
        return programs;
    }

    /// <summary>Leaves <paramref name="program"/> out of the load (its tracepoint does not exist here).</summary>
    public static void SkipAtLoad(BpfProgram program) => Libbpf.ProgramSetAutoload(program.Handle, false);

    /// <summary>Makes the map reuse the map pinned at <paramref name="path"/> when there is one, and pin itself there
    /// when not, at load. Returns 0 or the errno (no such map: ENOENT).</summary>
    public int PinMapAt(string mapName, string path)
    {
        nint map = Libbpf.ObjectFindMapByName(_object, mapName);
        if (map == 0) return Errno.ENOENT;
        return Libbpf.MapSetPinPath(map, path) == 0 ? 0 : Math.Max(Errno.Last, 1);
    }

    /// <summary>Loads every program not skipped (the verifier runs here) and creates or reuses the maps; 0 or the errno.</summary>
    public int Load() => Libbpf.ObjectLoad(_object) is var rc && rc == 0 ? 0 : Math.Max(Errno.Last, 1);

    /// <summary>Attaches a loaded program; null and the errno when the kernel refuses.</summary>
    public static BpfLink? Attach(BpfProgram program, out int errno)
    {
        nint link = Libbpf.ProgramAttach(program.Handle);
        errno = link == 0 ? Math.Max(Errno.Last, 1) : 0;
        return link == 0 ? null : new BpfLink(link);
    }

    /// <summary>The descriptor of a loaded map (owned by the object: valid until Dispose); -1 when there is none.</summary>
    public int MapDescriptor(string mapName)
    {
        nint map = Libbpf.ObjectFindMapByName(_object, mapName);
        return map == 0 ? -1 : Libbpf.MapFd(map);
    }

    public void Dispose()
    {
        if (_object == 0) return;
        Libbpf.ObjectClose(_object);
        _object = 0;
    }
}
