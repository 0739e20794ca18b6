// An S3 address is s3://BUCKET[/PREFIX] with a valid bucket name and a clean prefix; anything else is refused with
// a message that names the address and what to write instead.
using TimeTravel.Remote.S3;
using Xunit;

namespace TimeTravel.Tests.Remote.S3;

public class S3AddressTests
{
    [Theory]
    [InlineData("s3://backups", "backups", "")]
    [InlineData("s3://backups/timetravel", "backups", "timetravel")]
    [InlineData("s3://my.bucket-1/hosts/web1", "my.bucket-1", "hosts/web1")]
    [InlineData("S3://abc/x", "abc", "x")]
    public void AValidAddressGivesItsBucketAndPrefix(string text, string bucket, string prefix)
    {
        var address = S3Address.Parse(text);
        Assert.Equal(new S3Address(bucket, prefix), address);
        Assert.Equal(prefix.Length == 0 ? $"s3://{bucket}" : $"s3://{bucket}/{prefix}", address.ToString());
    }

    [Fact]
    public void KeysAreUnderThePrefixAndBack()
    {
        var address = S3Address.Parse("s3://bucket/store/a");
        Assert.Equal("store/a/arenas/1", address.KeyOf("arenas/1"));
        Assert.Equal("arenas/1", address.StoreKeyOf("store/a/arenas/1"));
        var whole = S3Address.Parse("s3://bucket");
        Assert.Equal("arenas/1", whole.KeyOf("arenas/1"));
        Assert.Equal("arenas/1", whole.StoreKeyOf("arenas/1"));
    }

    [Theory]
    [InlineData("backups", "not an S3 address")]
    [InlineData("s3://", "names no bucket")]
    [InlineData("s3:///prefix", "names no bucket")]
    [InlineData("s3://b", "has 1 characters")]
    [InlineData("s3://ab/x", "has 2 characters")]
    [InlineData("s3://Backups", "contains 'B'")]
    [InlineData("s3://back_ups", "contains '_'")]
    [InlineData("s3://-backups", "start and end with a letter or a digit")]
    [InlineData("s3://backups.", "start and end with a letter or a digit")]
    [InlineData("s3://back..ups", "may not contain '..'")]
    [InlineData("s3://192.168.1.1", "IP address")]
    [InlineData("s3://xn--bucket", "xn--")]
    [InlineData("s3://backups/", "ends in '/'")]
    [InlineData("s3://backups//x", "may not start or end with '/'")]
    [InlineData("s3://backups/x/", "may not start or end with '/'")]
    [InlineData("s3://backups/a//b", "contain '//'")]
    [InlineData("s3://backups/a/../b", "'..' part")]
    public void ABadAddressIsRefusedSayingWhy(string text, string why)
    {
        var e = Assert.Throws<FormatException>(() => S3Address.Parse(text));
        Assert.Contains(why, e.Message);
        if (text.Length > 0) Assert.Contains($"'{text}'", e.Message);
    }

    [Fact]
    public void ABucketNameOf63CharactersIsValidAnd64IsNot()
    {
        Assert.Null(S3Address.BucketNameProblem(new string('a', 63)));
        Assert.NotNull(S3Address.BucketNameProblem(new string('a', 64)));
    }
}
