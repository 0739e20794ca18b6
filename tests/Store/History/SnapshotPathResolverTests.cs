// The nodes along a path that the resolver reports for each snapshot (what .history checks permissions on), also
// when it answers from the snapshot before: the directories below a reused one are its entries, so they still hold.
using TimeTravel.Store;
using TimeTravel.Store.History;
using TimeTravel.Store.Posix;
using Xunit;

namespace TimeTravel.Tests.Store.History;

public sealed class SnapshotPathResolverTests
{
    [Fact]
    public void TheNodesAlongThePathHoldTheirOwnModesAlsoWhenTheAnswerIsReused()
    {
        using var dir = new TempDir("tt-resolve");
        using var repo = Repository.Init(dir["store"]);
        var t = new StoreTrees(repo);
        var f = t.File("f", "content");
        var before = t.Root(t.Dir("a", 0x1ED, t.Dir("b", 0x1C0, f)));
        var after = t.Root(t.Dir("a", 0x1C9 /* 0711: the same entries, another mode */, t.Dir("b", 0x1C0, f)));
        t.Commit();
        var resolver = new SnapshotPathResolver(repo.Trees, PathBytes.Components("/a/b/f"u8.ToArray()));

        Assert.Equal("f", PathBytes.Display(resolver.Resolve(before)!.Name));
        Assert.Equal([0x1EDu, 0x1EDu, 0x1C0u, 0x1A4u], resolver.Nodes.ToArray().Select(n => n.Mode));
        long lookups = resolver.Lookups;

        Assert.Equal("f", PathBytes.Display(resolver.Resolve(after)!.Name));
        Assert.Equal(lookups + 1, resolver.Lookups); // looked into "/" only: a's entries are those of last time
        Assert.Equal([0x1EDu, 0x1C9u, 0x1C0u, 0x1A4u], resolver.Nodes.ToArray().Select(n => n.Mode));

        Assert.Null(resolver.Resolve(t.Root(t.Dir("a", 0x1ED))));
        Assert.Equal(2, resolver.Nodes.Length); // "/" and a: b is not there
    }
}
