// Object keys sort as S3 lists them, by UTF-8 bytes, which ordinal UTF-16 order gets wrong only past U+D7FF.
using TimeTravel.Store.Objects;
using Xunit;

namespace TimeTravel.Tests.Store.Objects;

public class ObjectKeyTests
{
    [Fact]
    public void KeysSortByTheirUtf8Bytes()
    {
        string[] keys = ["b", "a/b", "a", "\uFF21", "\U0001F600", "a0", "é"];
        var byUtf8 = keys.OrderBy(k => k, Comparer<string>.Create((x, y) =>
            System.Text.Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(y)))).ToList();
        Assert.Equal(byUtf8, keys.Order(ObjectKey.Order));
    }

    [Fact]
    public void ALongKeyIsRefusedNamingItsLimit()
    {
        var e = Assert.Throws<ArgumentException>(() => ObjectKey.Check(new string('k', 1025)));
        Assert.Contains("1024 bytes", e.Message);
        ObjectKey.Check(new string('k', 1024));
    }
}
