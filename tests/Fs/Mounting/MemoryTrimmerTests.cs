// The daemon gives memory back once the kernel has forgotten many inodes, and not for small changes.
using TimeTravel.Fs.Mounting;
using TimeTravel.Fs.Snapshots;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;
using Xunit;

namespace TimeTravel.Tests.Fs.Mounting;

public sealed class MemoryTrimmerTests
{
    [Fact]
    public void Memory_is_collected_after_the_kernel_forgets_a_quarter_of_the_inodes_not_before()
    {
        var table = new InodeTable();
        var root = new Inode(InodeNumbers.Root, new Node { Name = "/"u8.ToArray(), Kind = FileKind.Directory }, null, "/");
        table.Pin(root);
        using var trimmer = new MemoryTrimmer(table, TimeSpan.FromHours(1));
        for (ulong i = 2; i < 40_002; i++)
            table.Remember(new Inode(i, new Node { Name = BitConverter.GetBytes(i) }, null, root, keepNode: false));
        Assert.False(trimmer.TrimIfShrunk()); // the peak
        for (ulong i = 2; i < 5_002; i++) table.Forget(i, 1);
        Assert.False(trimmer.TrimIfShrunk()); // 5,000 fewer: not enough
        for (ulong i = 5_002; i < 20_002; i++) table.Forget(i, 1);
        Assert.True(trimmer.TrimIfShrunk());  // half gone
        Assert.False(trimmer.TrimIfShrunk()); // and not again until it shrinks again
    }
}
