// The fanotify flag and mask values from <linux/fanotify.h> and <fcntl.h> the tracker uses.
namespace TimeTravel.Kernel.Interop;

internal static class FanotifyConstants
{
    // fanotify_init flags
    public const uint FAN_CLOEXEC = 0x0000_0001;
    public const uint FAN_NONBLOCK = 0x0000_0002;
    public const uint FAN_CLASS_NOTIF = 0x0000_0000;
    public const uint FAN_UNLIMITED_QUEUE = 0x0000_0010;
    public const uint FAN_REPORT_FID = 0x0000_0200;
    public const uint FAN_REPORT_DIR_FID = 0x0000_0400;
    public const uint FAN_REPORT_NAME = 0x0000_0800;
    public const uint FAN_REPORT_TARGET_FID = 0x0000_1000;
    public const uint FAN_REPORT_DFID_NAME = FAN_REPORT_DIR_FID | FAN_REPORT_NAME;
    public const uint FAN_REPORT_DFID_NAME_TARGET = FAN_REPORT_DFID_NAME | FAN_REPORT_FID | FAN_REPORT_TARGET_FID;

    // fanotify_mark flags
    public const uint FAN_MARK_ADD = 0x0000_0001;
    public const uint FAN_MARK_FILESYSTEM = 0x0000_0100;

    // event mask bits
    public const ulong FAN_MODIFY = 0x0000_0002;
    public const ulong FAN_ATTRIB = 0x0000_0004;
    public const ulong FAN_CLOSE_WRITE = 0x0000_0008;
    public const ulong FAN_MOVED_FROM = 0x0000_0040;
    public const ulong FAN_MOVED_TO = 0x0000_0080;
    public const ulong FAN_CREATE = 0x0000_0100;
    public const ulong FAN_DELETE = 0x0000_0200;
    public const ulong FAN_DELETE_SELF = 0x0000_0400;
    public const ulong FAN_MOVE_SELF = 0x0000_0800;
    public const ulong FAN_Q_OVERFLOW = 0x0000_4000;
    public const ulong FAN_RENAME = 0x1000_0000;
    public const ulong FAN_ONDIR = 0x4000_0000;

    // fanotify_event_metadata.vers
    public const byte FANOTIFY_METADATA_VERSION = 3;

    // fanotify_event_info_header.info_type
    public const byte FAN_EVENT_INFO_TYPE_FID = 1;
    public const byte FAN_EVENT_INFO_TYPE_DFID_NAME = 2;
    public const byte FAN_EVENT_INFO_TYPE_DFID = 3;
    public const byte FAN_EVENT_INFO_TYPE_OLD_DFID_NAME = 10;
    public const byte FAN_EVENT_INFO_TYPE_NEW_DFID_NAME = 12;
}
