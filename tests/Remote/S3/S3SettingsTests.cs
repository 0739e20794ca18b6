// S3 settings come from the environment as the AWS tools take them: keys from the variables or a credentials-file
// profile, the endpoint from AWS_ENDPOINT_URL_S3 before AWS_ENDPOINT_URL, the region from AWS_REGION before
// AWS_DEFAULT_REGION, else us-east-1. Missing or half-given keys are a clear error, not a slow failure later.
using Amazon.Runtime;
using TimeTravel.Remote.S3;
using Xunit;

namespace TimeTravel.Tests.Remote.S3;

public class S3SettingsTests : IDisposable
{
    private readonly TempDir _dir = new("tt-s3set");

    public void Dispose() => _dir.Dispose();

    // HOME points at an empty directory: the machine's own ~/.aws never leaks into a test.
    private S3Settings From(params (string Name, string Value)[] variables)
    {
        var env = variables.ToDictionary(v => v.Name, v => v.Value);
        env.TryAdd("HOME", _dir.Path);
        return S3Settings.From(name => env.GetValueOrDefault(name));
    }

    private static ImmutableCredentials Keys(S3Settings s) => s.Credentials.GetCredentials();

    [Fact]
    public void KeysEndpointAndRegionComeFromTheVariables()
    {
        var s = From(("AWS_ACCESS_KEY_ID", "AK"), ("AWS_SECRET_ACCESS_KEY", "SK"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:7480"), ("AWS_REGION", "eu-west-1"), ("AWS_DEFAULT_REGION", "us-west-2"));
        Assert.Equal("AK", Keys(s).AccessKey);
        Assert.Equal("SK", Keys(s).SecretKey);
        Assert.Equal(new Uri("http://127.0.0.1:7480"), s.Endpoint);
        Assert.Equal("http://127.0.0.1:7480", s.EndpointName);
        Assert.Equal("eu-west-1", s.Region);
        Assert.Equal("AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY", s.CredentialsFrom);
    }

    [Fact]
    public void TheS3EndpointVariableWinsAndNoEndpointMeansAwsInTheDefaultRegion()
    {
        var s = From(("AWS_ACCESS_KEY_ID", "AK"), ("AWS_SECRET_ACCESS_KEY", "SK"),
            ("AWS_ENDPOINT_URL", "http://other:1"), ("AWS_ENDPOINT_URL_S3", "https://s3.example.org"));
        Assert.Equal(new Uri("https://s3.example.org"), s.Endpoint);
        var aws = From(("AWS_ACCESS_KEY_ID", "AK"), ("AWS_SECRET_ACCESS_KEY", "SK"), ("AWS_DEFAULT_REGION", "ap-south-1"));
        Assert.Null(aws.Endpoint);
        Assert.Equal("ap-south-1", aws.Region);
        Assert.Equal("AWS S3 in ap-south-1", aws.EndpointName);
        Assert.Equal("us-east-1", From(("AWS_ACCESS_KEY_ID", "AK"), ("AWS_SECRET_ACCESS_KEY", "SK")).Region);
    }

    [Fact]
    public void ASessionTokenIsPassedOn()
    {
        var s = From(("AWS_ACCESS_KEY_ID", "AK"), ("AWS_SECRET_ACCESS_KEY", "SK"), ("AWS_SESSION_TOKEN", "TOKEN"));
        Assert.Equal("TOKEN", Keys(s).Token);
    }

    [Fact]
    public void KeysComeFromTheProfileInTheCredentialsFile()
    {
        Directory.CreateDirectory(_dir[".aws"]);
        File.WriteAllText(_dir[".aws/credentials"],
            "[default]\naws_access_key_id = DEFAULTAK\naws_secret_access_key = DEFAULTSK\n\n[ceph]\naws_access_key_id = CEPHAK\naws_secret_access_key = CEPHSK\n");
        Assert.Equal("DEFAULTAK", Keys(From()).AccessKey);
        var ceph = From(("AWS_PROFILE", "ceph"));
        Assert.Equal("CEPHSK", Keys(ceph).SecretKey);
        Assert.Contains("profile 'ceph'", ceph.CredentialsFrom);

        File.Move(_dir[".aws/credentials"], _dir["elsewhere"]);
        Assert.Equal("CEPHAK", Keys(From(("AWS_PROFILE", "ceph"), ("AWS_SHARED_CREDENTIALS_FILE", _dir["elsewhere"]))).AccessKey);
    }

    [Fact]
    public void TheVariablesWinOverTheCredentialsFile()
    {
        Directory.CreateDirectory(_dir[".aws"]);
        File.WriteAllText(_dir[".aws/credentials"], "[default]\naws_access_key_id = FILEAK\naws_secret_access_key = FILESK\n");
        Assert.Equal("ENVAK", Keys(From(("AWS_ACCESS_KEY_ID", "ENVAK"), ("AWS_SECRET_ACCESS_KEY", "ENVSK"))).AccessKey);
    }

    [Fact]
    public void NoKeysAnywhereIsAClearError()
    {
        var e = Assert.Throws<S3SettingsException>(() => From());
        Assert.Contains("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", e.Message);
    }

    [Fact]
    public void AProfileThatIsNotInTheFileIsAClearError()
    {
        Directory.CreateDirectory(_dir[".aws"]);
        File.WriteAllText(_dir[".aws/credentials"], "[default]\naws_access_key_id = A\naws_secret_access_key = S\n");
        var e = Assert.Throws<S3SettingsException>(() => From(("AWS_PROFILE", "nosuch")));
        Assert.Contains("no profile 'nosuch'", e.Message);
    }

    [Theory]
    [InlineData("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY is not")]
    [InlineData("AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID is not")]
    public void HalfTheKeysIsAClearError(string given, string why)
    {
        var e = Assert.Throws<S3SettingsException>(() => From((given, "x")));
        Assert.Contains(why, e.Message);
    }

    [Theory]
    [InlineData("127.0.0.1:7480")]
    [InlineData("ftp://host")]
    [InlineData("not a url")]
    public void AnEndpointThatIsNoHttpUrlIsRefusedNamingTheVariable(string endpoint)
    {
        var e = Assert.Throws<S3SettingsException>(() =>
            From(("AWS_ACCESS_KEY_ID", "AK"), ("AWS_SECRET_ACCESS_KEY", "SK"), ("AWS_ENDPOINT_URL_S3", endpoint)));
        Assert.Contains($"AWS_ENDPOINT_URL_S3='{endpoint}'", e.Message);
    }
}
