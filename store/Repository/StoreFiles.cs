// A store's files and directories are its owner's alone: files 0600, directories 0700, whatever the umask. The store
// holds a copy of every backed-up file, so a store directory opened up by mistake (`chmod 755`) must still not let
// another user read one; Repository warns about such a directory (StorePermissions).
namespace TimeTravel.Store;

public static class StoreFiles
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>A FileStream as `new FileStream(...)` opens it; a file it creates gets mode 0600.</summary>
    public static FileStream Open(string path, System.IO.FileMode mode, FileAccess access, FileShare share = FileShare.Read,
        int bufferSize = 4096, FileOptions options = FileOptions.None) => new(path, new FileStreamOptions
        {
            Mode = mode, Access = access, Share = share, BufferSize = bufferSize, Options = options,
            UnixCreateMode = mode is System.IO.FileMode.Open or System.IO.FileMode.Truncate ? null : FileMode,
        });

    /// <summary>Creates the directory (and missing parents) with mode 0700.</summary>
    public static void CreateDirectory(string path) => Directory.CreateDirectory(path, DirectoryMode);

    public static void WriteAllText(string path, string text)
    {
        using var f = Open(path, System.IO.FileMode.Create, FileAccess.Write);
        f.Write(System.Text.Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Replaces the file with the text, durably: a reader or a crash finds the old file or the new, never half.</summary>
    public static void WriteAtomically(string path, string text)
    {
        string tmp = path + ".tmp";
        using (var f = Open(tmp, System.IO.FileMode.Create, FileAccess.Write))
        {
            f.Write(System.Text.Encoding.UTF8.GetBytes(text));
            f.Flush(true);
        }
        File.Move(tmp, path, overwrite: true);
        Posix.PosixFs.FsyncDirectory(Path.GetDirectoryName(path)!);
    }

    /// <summary>Takes group and other permissions from a file some other code created (LiteDB's catalog and log).</summary>
    public static void MakePrivate(string path)
    {
        try
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & ~(FileMode | UnixFileMode.UserExecute)) != 0) File.SetUnixFileMode(path, mode & FileMode);
        }
        catch (FileNotFoundException) { }
    }
}
