// Damage made on purpose: tests that check a corrupt store is caught flip bits of one byte in place.
using TimeTravel.Store;
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;
using Xunit;

namespace TimeTravel.Tests.Store.Support;

public static class Damage
{
    /// <summary>XORs the byte at <paramref name="offset"/> (from the end when negative) of a file with <paramref name="mask"/>.</summary>
    public static void FlipBits(string path, long offset, byte mask = 0xFF)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        f.Position = offset >= 0 ? offset : f.Length + offset;
        int b = f.ReadByte();
        f.Position -= 1;
        f.WriteByte((byte)(b ^ mask));
    }

    /// <summary>The data blocks of a file (holes left out) as recorded under <paramref name="root"/>.</summary>
    public static List<StreamLeaf> DataBlocksOf(Repository repo, Node root, string path)
    {
        var node = repo.Trees.Resolve(root, PathBytes.Components(PathBytes.From(path)))!;
        return repo.Trees.Streams.Leaves(node.Content).Where(l => !l.IsHole).ToList();
    }

    /// <summary>The arena file and record location of a block.</summary>
    public static (string Arena, BlockLocation Location) Locate(Repository repo, StreamLeaf block)
    {
        Assert.True(repo.Blocks.TryLocate(block.Score, out var loc));
        return (repo.Blocks.Arenas.PathOf(loc.Arena), loc);
    }
}
