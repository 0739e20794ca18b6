// libbpf's BTF reader: the kernel's type information, used to tell whether a tracepoint exists before loading a
// program for it (a tp_btf program for a missing tracepoint makes the whole object fail to load).
using System.Runtime.InteropServices;

namespace TimeTravel.Kernel.Interop;

internal static partial class Libbpf
{
    internal const uint BTF_KIND_TYPEDEF = 8;

    // struct btf *btf__load_vmlinux_btf(void);
    [LibraryImport(Library, EntryPoint = "btf__load_vmlinux_btf", SetLastError = true)]
    internal static partial nint BtfLoadVmlinux();

    // struct btf *btf__parse_split(const char *path, struct btf *base_btf);
    [LibraryImport(Library, EntryPoint = "btf__parse_split", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial nint BtfParseSplit(string path, nint baseBtf);

    // __s32 btf__find_by_name_kind(const struct btf *btf, const char *type_name, __u32 kind);
    [LibraryImport(Library, EntryPoint = "btf__find_by_name_kind", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int BtfFindByNameKind(nint btf, string name, uint kind);

    // void btf__free(struct btf *btf);
    [LibraryImport(Library, EntryPoint = "btf__free")]
    internal static partial void BtfFree(nint btf);
}
