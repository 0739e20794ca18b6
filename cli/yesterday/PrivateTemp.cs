// A private scratch directory for old versions extracted when nothing is mounted: made 0700 (mkdtemp), so a file
// that was 0600 in the snapshot is never readable by others while it is here, and removed afterwards with
// everything in it (names as bytes, nothing followed through a symlink).
using TimeTravel.Store.Posix;

namespace TimeTravel.Yesterday;

public sealed class PrivateTemp : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("yesterday-").FullName;

    public string this[string name] => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Remove(PathBytes.From(Path)); }
        catch (IOException) { } // left for the system's tmp cleaner: still 0700
    }

    private static void Remove(byte[] path)
    {
        if (!PosixFs.TryLStat(path, out var st)) return;
        if (st.Kind != FileKind.Directory) { PosixFs.Unlink(path); return; }
        try { PosixFs.Chmod(path, 0x1C0); } catch (PosixException) { } // a restored 0500 directory must still be emptied
        foreach (var e in PosixFs.ReadDirectory(path)) Remove(PathBytes.Join(path, e.Name));
        PosixFs.RemoveDirectory(path);
    }
}
