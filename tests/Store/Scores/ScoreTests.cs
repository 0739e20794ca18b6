// Scores: SHA-256 of the content, hex round trip, and an order that is the order of the bytes.
using TimeTravel.Store.Scores;
using Xunit;

namespace TimeTravel.Tests.Store.Scores;

public class ScoreTests
{
    [Fact]
    public void ScoreOfAbcIsItsSha256()
    {
        var s = Score.Of("abc"u8);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", s.ToString());
        Assert.Equal("ba7816bf8f01", s.Short);
        Assert.Equal(0xba7816bf8f01cfeaUL, s.Prefix);
    }

    [Fact]
    public void HexAndBytesRoundTrip()
    {
        var rng = new Random(1);
        for (int i = 0; i < 200; i++)
        {
            var bytes = new byte[Score.Size];
            rng.NextBytes(bytes);
            var s = Score.Read(bytes);
            Assert.Equal(bytes, s.ToBytes());
            Assert.Equal(s, Score.Parse(s.ToString()));
            Assert.Equal(s, Score.Parse(s.ToString().ToUpperInvariant()));
            Assert.True(Score.TryParse(s.ToString(), out var t) && t == s);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("zz7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad00")]
    public void MalformedHexIsRejected(string hex)
    {
        Assert.False(Score.TryParse(hex, out _));
        Assert.Throws<FormatException>(() => Score.Parse(hex));
    }

    [Fact]
    public void OrderIsTheOrderOfTheBytes()
    {
        var rng = new Random(2);
        var all = new List<byte[]>();
        for (int i = 0; i < 2000; i++)
        {
            var b = new byte[Score.Size];
            rng.NextBytes(b);
            if (i % 3 == 0) b[0] = 0x80;                 // shared first bytes make later words decide
            if (i % 5 == 0) { b.AsSpan(0, 16).Fill(7); } // equal first two words
            all.Add(b);
        }
        var byScore = all.Select(b => Score.Read(b)).OrderBy(s => s).Select(s => s.ToString()).ToList();
        var byBytes = all.OrderBy(b => b, Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y))).Select(Convert.ToHexStringLower).ToList();
        Assert.Equal(byBytes, byScore);
    }

    [Fact]
    public void EqualScoresAreEqualAndHashAlike()
    {
        var a = Score.Of("same"u8);
        var b = Score.Parse(a.ToString());
        Assert.True(a == b && a.Equals((object)b) && a.GetHashCode() == b.GetHashCode() && a.CompareTo(b) == 0);
        Assert.True(a != Score.Of("other"u8));
        Assert.True(Score.Zero.IsZero && !a.IsZero);
    }
}
