// libbpf's thin wrappers over the bpf(2) commands the drain uses on pinned maps: open a pin, walk, read, write, delete.
// Each returns 0 (or an fd) on success and a negative errno on failure, with errno set.
using System.Runtime.InteropServices;

namespace TimeTravel.Kernel.Interop;

internal static unsafe partial class Libbpf
{
    // int bpf_obj_get(const char *pathname);
    [LibraryImport(Library, EntryPoint = "bpf_obj_get", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int ObjGet(string path);

    // int bpf_map_lookup_elem(int fd, const void *key, void *value);
    [LibraryImport(Library, EntryPoint = "bpf_map_lookup_elem", SetLastError = true)]
    internal static partial int MapLookupElem(int fd, void* key, void* value);

    // int bpf_map_get_next_key(int fd, const void *key, void *next_key);   /* key NULL: the first key */
    [LibraryImport(Library, EntryPoint = "bpf_map_get_next_key", SetLastError = true)]
    internal static partial int MapGetNextKey(int fd, void* key, void* nextKey);

    // int bpf_map_lookup_and_delete_elem(int fd, const void *key, void *value);
    [LibraryImport(Library, EntryPoint = "bpf_map_lookup_and_delete_elem", SetLastError = true)]
    internal static partial int MapLookupAndDeleteElem(int fd, void* key, void* value);

    // int bpf_map_update_elem(int fd, const void *key, const void *value, __u64 flags);
    [LibraryImport(Library, EntryPoint = "bpf_map_update_elem", SetLastError = true)]
    internal static partial int MapUpdateElem(int fd, void* key, void* value, ulong flags);

    internal const ulong BPF_ANY = 0, BPF_NOEXIST = 1;
}
