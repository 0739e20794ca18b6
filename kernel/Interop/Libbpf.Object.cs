// libbpf (libbpf.so.1, Debian libbpf1) object calls: open an object file, choose its programs, load, attach, pin maps.
// libbpf 1.x returns NULL or a negative errno and also sets errno, so SetLastError gives the reason either way.
using System.Runtime.InteropServices;

namespace TimeTravel.Kernel.Interop;

internal static partial class Libbpf
{
    private const string Library = "libbpf.so.1";

    // struct bpf_object *bpf_object__open_file(const char *path, const struct bpf_object_open_opts *opts);
    [LibraryImport(Library, EntryPoint = "bpf_object__open_file", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial nint ObjectOpenFile(string path, nint opts);

    // int bpf_object__load(struct bpf_object *obj);
    [LibraryImport(Library, EntryPoint = "bpf_object__load", SetLastError = true)]
    internal static partial int ObjectLoad(nint obj);

    // void bpf_object__close(struct bpf_object *obj);
    [LibraryImport(Library, EntryPoint = "bpf_object__close")]
    internal static partial void ObjectClose(nint obj);

    // struct bpf_program *bpf_object__next_program(const struct bpf_object *obj, struct bpf_program *prog);
    [LibraryImport(Library, EntryPoint = "bpf_object__next_program")]
    internal static partial nint ObjectNextProgram(nint obj, nint previous);

    // const char *bpf_program__name(const struct bpf_program *prog);
    [LibraryImport(Library, EntryPoint = "bpf_program__name")]
    internal static partial nint ProgramName(nint program);

    // const char *bpf_program__section_name(const struct bpf_program *prog);
    [LibraryImport(Library, EntryPoint = "bpf_program__section_name")]
    internal static partial nint ProgramSectionName(nint program);

    // int bpf_program__set_autoload(struct bpf_program *prog, bool autoload);
    [LibraryImport(Library, EntryPoint = "bpf_program__set_autoload")]
    internal static partial int ProgramSetAutoload(nint program, [MarshalAs(UnmanagedType.U1)] bool autoload);

    // struct bpf_link *bpf_program__attach(const struct bpf_program *prog);
    [LibraryImport(Library, EntryPoint = "bpf_program__attach", SetLastError = true)]
    internal static partial nint ProgramAttach(nint program);

    // int bpf_link__destroy(struct bpf_link *link);
    [LibraryImport(Library, EntryPoint = "bpf_link__destroy")]
    internal static partial int LinkDestroy(nint link);

    // struct bpf_map *bpf_object__find_map_by_name(const struct bpf_object *obj, const char *name);
    [LibraryImport(Library, EntryPoint = "bpf_object__find_map_by_name", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint ObjectFindMapByName(nint obj, string name);

    // int bpf_map__set_pin_path(struct bpf_map *map, const char *path);
    [LibraryImport(Library, EntryPoint = "bpf_map__set_pin_path", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int MapSetPinPath(nint map, string path);

    // int bpf_map__fd(const struct bpf_map *map);
    [LibraryImport(Library, EntryPoint = "bpf_map__fd")]
    internal static partial int MapFd(nint map);

    // int bpf_link__pin(struct bpf_link *link, const char *path);
    [LibraryImport(Library, EntryPoint = "bpf_link__pin", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int LinkPin(nint link, string path);

    // int bpf_link__unpin(struct bpf_link *link);
    [LibraryImport(Library, EntryPoint = "bpf_link__unpin", SetLastError = true)]
    internal static partial int LinkUnpin(nint link);
}
