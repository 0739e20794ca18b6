// The fixed header of every fanotify event in the read buffer.
using System.Runtime.InteropServices;

namespace TimeTravel.Kernel.Interop;

// struct fanotify_event_metadata {
//     __u32 event_len;        /*  0-3  */
//     __u8 vers;              /*  4    */
//     __u8 reserved;          /*  5    */
//     __u16 metadata_len;     /*  6-7  */
//     __aligned_u64 mask;     /*  8-15 */
//     __s32 fd;               /* 16-19 */
//     __s32 pid;              /* 20-23 */
// };
[StructLayout(LayoutKind.Sequential)]
internal struct FanotifyEventMetadata
{
    public const int Size = 24;

    public uint EventLen;
    public byte Vers;
    public byte Reserved;
    public ushort MetadataLen;
    public ulong Mask;
    public int Fd;
    public int Pid;
}
