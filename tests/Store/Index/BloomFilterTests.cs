// The Bloom filter: never a false "absent", rarely a false "maybe".
using TimeTravel.Store.Index;
using TimeTravel.Store.Scores;
using Xunit;

namespace TimeTravel.Tests.Store.Index;

public class BloomFilterTests
{
    [Fact]
    public void NoFalseNegativesAndAboutOnePercentFalsePositives()
    {
        var bloom = BloomFilter.ForCount(50_000);
        var present = Enumerable.Range(0, 50_000).Select(i => Score.Of(BitConverter.GetBytes(i))).ToList();
        foreach (var s in present) bloom.Add(s);
        Assert.All(present, s => Assert.True(bloom.MayContain(s)));
        int fp = Enumerable.Range(1_000_000, 50_000).Count(i => bloom.MayContain(Score.Of(BitConverter.GetBytes(i))));
        Assert.True(fp < 1_500, $"{fp} false positives in 50000");
    }

    [Fact]
    public void SizeMustBeAPowerOfTwo() => Assert.Throws<ArgumentException>(() => new BloomFilter(new byte[100], 7));
}
