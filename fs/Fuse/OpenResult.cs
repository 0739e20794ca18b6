// What open/opendir hand back: a handle the filesystem chooses and the kernel's caching flags for it.
namespace TimeTravel.Fs.Fuse;

public struct OpenResult
{
    public ulong Handle;         // passed back to Read/ReadDir/Release as `handle`
    public bool KeepCache;       // keep the page cache across opens: the data has not changed (read-only: true)
    public bool DirectIo;        // bypass the page cache entirely
    public bool CacheDirectory;  // opendir: let the kernel cache the listing (cache_readdir)
    public bool NonSeekable;
}
