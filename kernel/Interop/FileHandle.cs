// The header of struct file_handle; the opaque handle bytes follow it.
using System.Runtime.InteropServices;

namespace TimeTravel.Kernel.Interop;

// struct file_handle {
//     unsigned int handle_bytes;    /* 0-3 : size of f_handle */
//     int handle_type;              /* 4-7 */
//     unsigned char f_handle[0];    /* 8-  */
// };
[StructLayout(LayoutKind.Sequential)]
internal struct FileHandle
{
    public const int HeaderSize = 8;
    public const int MaxHandleSize = 128;   // MAX_HANDLE_SZ

    public uint HandleBytes;
    public int HandleType;
}
