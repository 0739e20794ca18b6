// Who may read a store: its owner only. Every store file is created 0600 (StoreFiles), but a store directory opened up
// by mistake (`chmod -R 755`) would let any user read every backed-up file with `timetravel cat`. Each command that
// opens a store warns loudly about a directory others may enter; `verify` reports it, and any store file they may read.
namespace TimeTravel.Store;

public static class StorePermissions
{
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>The store directory's problem, or null when only its owner may use it.</summary>
    public static string? CheckRoot(StoreLayout layout)
    {
        var mode = File.GetUnixFileMode(layout.Root);
        if ((mode & GroupOrOther) == 0) return null;
        return $"{layout.Root}: the store directory has mode {Octal(mode)}: other users may read the backed-up files " +
            $"in it (run `chmod 700 {layout.Root}`)";
    }

    /// <summary>Every store file and directory other users may read or enter, with its mode (for `verify`).</summary>
    public static IEnumerable<string> CheckFiles(StoreLayout layout)
    {
        if (CheckRoot(layout) is { } root) yield return root;
        foreach (var path in Directory.EnumerateFileSystemEntries(layout.Root, "*", SearchOption.AllDirectories))
        {
            UnixFileMode mode;
            try { mode = File.GetUnixFileMode(path); }
            catch (FileNotFoundException) { continue; }
            if ((mode & GroupOrOther) != 0)
                yield return $"{path}: mode {Octal(mode)} lets other users read it (store files are 0600, directories 0700; `chmod -R go= {layout.Root}`)";
        }
    }

    /// <summary>
    /// Takes group and other permissions from every file and directory below the store's root: stores made before
    /// files were created 0600 hold 0644 arenas and catalogs. Run by a writer, under the writer lock. The root itself
    /// is left as the admin set it, and warned about.
    /// </summary>
    public static void MakeEverythingBelowRootPrivate(StoreLayout layout)
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(layout.Root, "*", SearchOption.AllDirectories))
        {
            try
            {
                var mode = File.GetUnixFileMode(path);
                if ((mode & GroupOrOther) != 0) File.SetUnixFileMode(path, mode & ~GroupOrOther);
            }
            catch (FileNotFoundException) { }
            catch (DirectoryNotFoundException) { }
        }
    }

    public static void WarnAboutRoot(StoreLayout layout)
    {
        if (CheckRoot(layout) is { } m) StoreWarnings.Warn(m);
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode & 0xFFF, 8).PadLeft(4, '0');
}
