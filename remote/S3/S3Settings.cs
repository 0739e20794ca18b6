// How to reach S3, taken from the environment the way the AWS tools take it, so a user's existing setup works:
// keys from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), else from a profile of the shared
// credentials file (AWS_PROFILE, default "default"; AWS_SHARED_CREDENTIALS_FILE, default ~/.aws/credentials) read by
// the SDK; the endpoint from AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL (none: AWS itself); the region from AWS_REGION
// or AWS_DEFAULT_REGION (default us-east-1, which Ceph accepts whatever its zone group is called). The SDK's full
// chain also tries the EC2 instance metadata service, which on a machine outside EC2 costs seconds of timeouts before
// an error; a missing key is said at once instead.
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;

namespace TimeTravel.Remote.S3;

public sealed record S3Settings(Uri? Endpoint, string Region, AWSCredentials Credentials, string CredentialsFrom)
{
    public const string DefaultRegion = "us-east-1";

    /// <summary>The endpoint as messages name it.</summary>
    public string EndpointName => Endpoint?.ToString().TrimEnd('/') ?? $"AWS S3 in {Region}";

    public static S3Settings FromEnvironment() => From(Environment.GetEnvironmentVariable);

    /// <summary>Settings from the variables `variable` answers (the process environment, or a test's dictionary).</summary>
    public static S3Settings From(Func<string, string?> variable)
    {
        string? Var(string name) => variable(name) is { Length: > 0 } v ? v : null;

        Uri? endpoint = null;
        string? endpointVariable = Var("AWS_ENDPOINT_URL_S3") is not null ? "AWS_ENDPOINT_URL_S3" : Var("AWS_ENDPOINT_URL") is not null ? "AWS_ENDPOINT_URL" : null;
        if (endpointVariable is not null)
        {
            string text = Var(endpointVariable)!;
            if (!Uri.TryCreate(text, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https") || endpoint.Host.Length == 0)
                throw new S3SettingsException($"{endpointVariable}='{text}' is not an http:// or https:// URL (like http://127.0.0.1:7480)");
        }

        string region = Var("AWS_REGION") ?? Var("AWS_DEFAULT_REGION") ?? DefaultRegion;

        string? keyId = Var("AWS_ACCESS_KEY_ID"), secret = Var("AWS_SECRET_ACCESS_KEY");
        if (keyId is not null || secret is not null)
        {
            if (keyId is null) throw new S3SettingsException("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not; set both");
            if (secret is null) throw new S3SettingsException("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not; set both");
            AWSCredentials keys = Var("AWS_SESSION_TOKEN") is { } token ? new SessionAWSCredentials(keyId, secret, token) : new BasicAWSCredentials(keyId, secret);
            return new S3Settings(endpoint, region, keys, "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY");
        }

        string profile = Var("AWS_PROFILE") ?? "default";
        string? file = Var("AWS_SHARED_CREDENTIALS_FILE")
            ?? (Var("HOME") is { } home ? Path.Combine(home, ".aws", "credentials") : null);
        if (file is not null && File.Exists(file))
        {
            if (new CredentialProfileStoreChain(file).TryGetAWSCredentials(profile, out var fromProfile))
                return new S3Settings(endpoint, region, fromProfile, $"profile '{profile}' in {file}");
            throw new S3SettingsException($"no profile '{profile}' with keys in {file} (AWS_PROFILE chooses one); or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        }
        throw new S3SettingsException("no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or put a profile in "
            + (file ?? "~/.aws/credentials") + (Var("AWS_PROFILE") is null ? "" : $" (AWS_PROFILE={profile})"));
    }
}

/// <summary>The environment does not say how to reach S3; the message says which variable to set.</summary>
public sealed class S3SettingsException(string message) : Exception(message);
