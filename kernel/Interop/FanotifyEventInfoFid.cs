// The fid information record: filesystem id, then a struct file_handle, then (for *_DFID_NAME) a NUL-terminated name.
using System.Runtime.InteropServices;

namespace TimeTravel.Kernel.Interop;

// struct fanotify_event_info_fid {
//     struct fanotify_event_info_header hdr;  /*  0-3  */
//     __kernel_fsid_t fsid;                   /*  4-11 : int val[2] */
//     unsigned char handle[];                 /* 12-   : struct file_handle, then the name */
// };
[StructLayout(LayoutKind.Sequential)]
internal struct FanotifyEventInfoFid
{
    public const int Size = 12;
    public const int HandleOffset = 12;

    public FanotifyEventInfoHeader Header;
    public int Fsid0;
    public int Fsid1;
}
