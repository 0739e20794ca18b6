// The kinds of file a snapshot records; values are stored on disk (docs/format.md).
namespace TimeTravel.Store.Posix;

public enum FileKind : byte
{
    Regular = 1,
    Directory = 2,
    Symlink = 3,
    Fifo = 4,
    CharDevice = 5,
    BlockDevice = 6,
    Socket = 7, // never stored: sockets are skipped with a note
}

public static class FileKinds
{
    public const uint S_IFMT = 0xF000;

    public static FileKind FromMode(uint mode) => (mode & S_IFMT) switch
    {
        0x8000 => FileKind.Regular,
        0x4000 => FileKind.Directory,
        0xA000 => FileKind.Symlink,
        0x1000 => FileKind.Fifo,
        0x2000 => FileKind.CharDevice,
        0x6000 => FileKind.BlockDevice,
        0xC000 => FileKind.Socket,
        _ => throw new InvalidDataException($"unknown file type in mode {mode:o}"),
    };

    /// <summary>The S_IFMT bits of a kind, for st_mode.</summary>
    public static uint TypeBits(FileKind kind) => kind switch
    {
        FileKind.Regular => 0x8000,
        FileKind.Directory => 0x4000,
        FileKind.Symlink => 0xA000,
        FileKind.Fifo => 0x1000,
        FileKind.CharDevice => 0x2000,
        FileKind.BlockDevice => 0x6000,
        FileKind.Socket => 0xC000,
        _ => 0,
    };
}
