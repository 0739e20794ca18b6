// Inode numbers as a pure function, no mount: the same inputs give the same number in every process and every
// mount, different names and parents give different numbers, and the names of one hard-linked file share one.
using System.Text;
using TimeTravel.Fs.Snapshots;
using Xunit;

namespace TimeTravel.Tests.Fs.Snapshots;

public sealed class InodeNumbersTests
{
    private static ulong Child(ulong parent, string name) => InodeNumbers.ForChild(parent, Encoding.UTF8.GetBytes(name));

    [Fact]
    public void Numbers_are_a_fixed_function_of_their_inputs()
    {
        // Pinned: a change here renumbers every file of every snapshot for tools that remember inode numbers.
        Assert.Equal(InodeNumbers.ForRootEntry("2024-01-01_1200"), InodeNumbers.ForRootEntry("2024-01-01_1200"));
        Assert.Equal(Child(42, "etc"), InodeNumbers.ForChild(42, "etc"u8.ToArray()));
        Assert.Equal(InodeNumbers.ForHardLink(7, 99), InodeNumbers.ForHardLink(7, 99));
        Assert.Equal(Pinned.Root, InodeNumbers.ForRootEntry("2024-01-01_1200"));
        Assert.Equal(Pinned.Child, Child(Pinned.Root, "etc"));
        Assert.Equal(Pinned.HardLink, InodeNumbers.ForHardLink(7, 99));
    }

    private static class Pinned
    {
        public const ulong Root = 0x29F985BC3DC71FE5, Child = 0x142370F8AA919EDE, HardLink = 0x60FFEB3B7B477342;
    }

    [Fact]
    public void Root_is_1_and_no_number_is_0_or_1_or_negative_as_a_signed_value()
    {
        Assert.Equal(1UL, InodeNumbers.Root);
        var all = Enumerable.Range(0, 20_000).SelectMany(i => new[]
        {
            InodeNumbers.ForRootEntry("s" + i), Child((ulong)i, "n"), InodeNumbers.ForHardLink(i, (ulong)i),
        });
        Assert.All(all, n => Assert.True(n >= 2 && n <= long.MaxValue, $"{n}"));
    }

    [Fact]
    public void Distinct_names_in_one_directory_get_distinct_numbers()
    {
        var names = Enumerable.Range(0, 100_000).Select(i => $"file{i}").ToList();
        Assert.Equal(names.Count, names.Select(n => Child(12345, n)).Distinct().Count());
    }

    [Fact]
    public void The_same_name_under_different_parents_gets_different_numbers()
    {
        var parents = Enumerable.Range(2, 100_000).Select(p => (ulong)p).ToList();
        Assert.Equal(parents.Count, parents.Select(p => Child(p, "README")).Distinct().Count());
    }

    [Fact]
    public void Names_are_bytes_so_names_that_are_not_utf8_stay_distinct()
    {
        ulong a = InodeNumbers.ForChild(9, [0xff, 0xfe]), b = InodeNumbers.ForChild(9, [0xfe, 0xff]), c = InodeNumbers.ForChild(9, [0xff]);
        Assert.Equal(4, new[] { a, b, c, Child(9, "\ufffd\ufffd") }.Distinct().Count());
        Assert.NotEqual(Child(9, "a/b"), Child(Child(9, "a"), "b"));
    }

    [Fact]
    public void Root_entries_snapshots_and_children_do_not_collide()
    {
        var roots = Enumerable.Range(0, 5000).Select(i => InodeNumbers.ForRootEntry($"2024-01-01_{i:0000}")).ToList();
        var children = roots.SelectMany(r => new[] { Child(r, "home"), Child(r, "etc") }).ToList();
        var links = Enumerable.Range(1, 5000).Select(i => InodeNumbers.ForHardLink(i, 77)).ToList();
        var all = roots.Concat(children).Concat(links).Append(InodeNumbers.Root).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Fact]
    public void Names_of_one_hard_linked_file_share_a_number_within_a_snapshot_and_only_there()
    {
        ulong linkId = 0xDEADBEEF12345678;
        Assert.Equal(InodeNumbers.ForHardLink(3, linkId), InodeNumbers.ForHardLink(3, linkId));
        Assert.NotEqual(InodeNumbers.ForHardLink(3, linkId), InodeNumbers.ForHardLink(4, linkId));
        Assert.NotEqual(InodeNumbers.ForHardLink(3, linkId), InodeNumbers.ForHardLink(3, linkId + 1));
    }
}
