// Which arenas a collection rewrites: below the threshold's live share, empty ones always, none above it, and, when
// free space is short, the most garbage first while the copies fit.
using TimeTravel.Store.Collection;
using Xunit;

namespace TimeTravel.Tests.Store.Collection;

public sealed class CollectionPlanTests
{
    private static readonly ArenaUsage[] Arenas =
    [
        new(1, 1000, 1000, 10), // all live
        new(2, 1000, 800, 8),   // exactly at 80%
        new(3, 1000, 790, 8),   // just below
        new(4, 1000, 100, 1),
        new(5, 1000, 0, 0),     // nothing live
        new(6, 0, 0, 0),        // an empty arena file: nothing to free
    ];

    [Fact]
    public void Arenas_below_the_threshold_are_victims_and_those_at_or_above_it_stay()
    {
        var plan = CollectionPlan.Make(Arenas, 0.80);
        Assert.Equal([3u, 4u, 5u], plan.Victims.Select(v => v.Arena));
        Assert.Equal(210 + 900 + 1000, plan.FreedBytes);
        Assert.Equal(790 + 100, plan.CopyBytes);
        Assert.Equal(0 + 200 + 210 + 900 + 1000, plan.GarbageBytes);
        Assert.Empty(plan.Deferred);
    }

    [Fact]
    public void A_threshold_of_zero_still_deletes_arenas_with_nothing_live_and_one_of_one_rewrites_every_arena_with_garbage()
    {
        Assert.Equal([5u], CollectionPlan.Make(Arenas, 0).Victims.Select(v => v.Arena));
        Assert.Equal([2u, 3u, 4u, 5u], CollectionPlan.Make(Arenas, 1).Victims.Select(v => v.Arena));
    }

    [Fact]
    public void With_little_free_space_the_most_garbage_goes_first_and_the_rest_is_deferred()
    {
        var plan = CollectionPlan.Make(Arenas, 0.80, spaceForCopies: 500);
        Assert.Equal([4u, 5u], plan.Victims.Select(v => v.Arena)); // 0 and 100 bytes to copy fit; 790 does not
        Assert.Equal([3u], plan.Deferred.Select(v => v.Arena));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_threshold_outside_0_to_1_is_refused(double threshold) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CollectionPlan.Make(Arenas, threshold));
}
