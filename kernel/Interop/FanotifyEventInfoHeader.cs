// The header in front of each information record that follows the event metadata.
using System.Runtime.InteropServices;

namespace TimeTravel.Kernel.Interop;

// struct fanotify_event_info_header {
//     __u8 info_type;   /* 0   */
//     __u8 pad;         /* 1   */
//     __u16 len;        /* 2-3 : whole record, header included, padded */
// };
[StructLayout(LayoutKind.Sequential)]
internal struct FanotifyEventInfoHeader
{
    public const int Size = 4;

    public byte InfoType;
    public byte Pad;
    public ushort Len;
}
