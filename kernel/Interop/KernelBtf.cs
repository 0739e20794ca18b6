// The running kernel's BTF (/sys/kernel/btf/vmlinux and the modules' split BTF beside it): whether a tracepoint
// exists, told by its btf_trace_NAME typedef, the type a tp_btf program is checked against.
using TimeTravel.Store.Interop;

namespace TimeTravel.Kernel.Interop;

internal sealed class KernelBtf : IDisposable
{
    private const string Directory = "/sys/kernel/btf";
    private readonly nint _vmlinux;
    private readonly List<nint> _modules = [];

    private KernelBtf(nint vmlinux) => _vmlinux = vmlinux;

    /// <summary>Loads the kernel's BTF; null and the errno when the kernel has none.</summary>
    public static KernelBtf? Load(out int errno)
    {
        nint vmlinux = Libbpf.BtfLoadVmlinux();
        errno = vmlinux == 0 ? Math.Max(Errno.Last, 1) : 0;
        return vmlinux == 0 ? null : new KernelBtf(vmlinux);
    }

    public bool HasTracepoint(string name)
    {
        var type = "btf_trace_" + name;
        if (Libbpf.BtfFindByNameKind(_vmlinux, type, Libbpf.BTF_KIND_TYPEDEF) > 0) return true;
        if (_modules.Count == 0) LoadModules();
        return _modules.Any(m => Libbpf.BtfFindByNameKind(m, type, Libbpf.BTF_KIND_TYPEDEF) > 0);
    }

    // A tracepoint of a filesystem built as a module (ext4.ko) is in that module's BTF, split from vmlinux's.
    private void LoadModules()
    {
        if (!System.IO.Directory.Exists(Directory)) return;
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory))
        {
            if (Path.GetFileName(path) == "vmlinux") continue;
            nint module = Libbpf.BtfParseSplit(path, _vmlinux);
            if (module != 0) _modules.Add(module);
        }
    }

    public void Dispose()
    {
        foreach (var m in _modules) Libbpf.BtfFree(m);
        _modules.Clear();
        Libbpf.BtfFree(_vmlinux);
    }
}
