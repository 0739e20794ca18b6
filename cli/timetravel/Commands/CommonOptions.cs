// Options shared by every subcommand, and the error handling every command runs inside.
using System.CommandLine;
using TimeTravel.Store;
using TimeTravel.Store.Posix;

namespace TimeTravel.Cli.Commands;

public static class CommonOptions
{
    public static readonly Option<string> Store = new("--store", "-s")
    {
        Description = "The store directory, or s3://BUCKET/PREFIX for a store in a bucket (default: $TIMETRAVEL_STORE or /var/lib/timetravel)",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TIMETRAVEL_STORE") is { Length: > 0 } s ? s : StoreLayout.DefaultRoot,
    };

    static CommonOptions()
    {
        Store.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is { } s && CommandLineBytes.HasRawBytes(s))
                r.AddError($"--store {PathBytes.Quoted(CommandLineBytes.Bytes(s))}: the store must be a UTF-8 path");
        });
    }

    /// <summary>The local store directory --store names: the directory, or a bucket store's local area (BucketLink).</summary>
    public static string StoreRoot(ParseResult r) => TimeTravel.Store.Bucket.BucketLink.LocalRootFor(r.GetValue(Store)!);

    public static Option<bool> Json() => new("--json") { Description = "Print JSON instead of text" };

    public const int Ok = 0, Failed = 1, Partial = 3;

    /// <summary>Runs a command body; known errors become one line on stderr naming the thing, and exit status 1.</summary>
    public static int Run(Func<int> body)
    {
        try { return body(); }
        catch (Exception e) when (e is StoreException or StoreFormatException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            Console.Error.WriteLine($"timetravel: {e.Message}");
            return Failed;
        }
        catch (Exception e)
        {
            // A bug, not bad input: still one line, with the details behind TIMETRAVEL_DEBUG=1.
            Console.Error.WriteLine($"timetravel: internal error: {e.GetType().Name}: {e.Message}");
            if (Environment.GetEnvironmentVariable("TIMETRAVEL_DEBUG") == "1") Console.Error.WriteLine(e);
            return Failed;
        }
    }
}
