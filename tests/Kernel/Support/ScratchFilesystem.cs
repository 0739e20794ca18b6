// A scratch directory on a filesystem fanotify can mark with FAN_MARK_FILESYSTEM: a loop-mounted ext4 image of its own
// that Dispose unmounts and deletes, even after a failed test (or /var/tmp with TT_TEST_LOOP=0, when it can be marked).
// A filesystem of its own keeps other processes' events out: a hard-linked file they write would make the sources
// incomplete, and the tests assert that nothing did.
using TimeTravel.Kernel.Tracking;

namespace TimeTravel.Tests.Kernel.Support;

public sealed class ScratchFilesystem : IDisposable
{
    private readonly string? _image;
    private readonly string? _mountPoint;

    /// <summary>A fresh empty directory on a markable filesystem.</summary>
    public string Root { get; }

    /// <param name="imageBytes">The size of the loop image (64 MiB unless a test needs more room).</param>
    public ScratchFilesystem(long imageBytes = 64L << 20)
    {
        if (Environment.GetEnvironmentVariable("TT_TEST_LOOP") == "0")
        {
            var onVarTmp = Path.Combine("/var/tmp", "tt-kernel-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(onVarTmp);
            if (CanMark(onVarTmp)) { Root = onVarTmp; return; }
            Directory.Delete(onVarTmp, recursive: true);
        }

        var unique = "tt-loop-" + Guid.NewGuid().ToString("N")[..12];
        _image = Path.Combine("/var/tmp", unique + ".img");
        _mountPoint = Path.Combine("/tmp", unique);
        try
        {
            using (var f = File.Create(_image)) f.SetLength(imageBytes);
            Shell.Bash($"mkfs.ext4 -q -F '{_image}'");
            Directory.CreateDirectory(_mountPoint);
            Shell.Bash($"mount -o loop '{_image}' '{_mountPoint}'");
            Root = Path.Combine(_mountPoint, "scratch");
            Directory.CreateDirectory(Root);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public bool IsLoopMounted => _mountPoint is not null;

    private static bool CanMark(string dir)
    {
        using var probe = FanotifyTracker.Start(new TrackerOptions { Sources = [dir] });
        return probe.Unwatched.Count == 0;
    }

    public void Dispose()
    {
        if (_mountPoint is null)
        {
            if (Root is not null && Directory.Exists(Root)) Shell.Bash($"rm -rf '{Root}'");
            return;
        }
        if (Directory.Exists(_mountPoint))
        {
            Shell.TryBash($"umount '{_mountPoint}' || umount -l '{_mountPoint}'");
            try { Directory.Delete(_mountPoint, recursive: false); } catch (IOException) { }
        }
        if (_image is not null) File.Delete(_image);
    }
}
