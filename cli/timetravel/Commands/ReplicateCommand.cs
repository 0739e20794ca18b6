// `timetravel replicate --to s3://BUCKET/PREFIX [--host NAME]`: copies a local store into a bucket and keeps it
// there: the store stays where it is (its arenas on the local disk), and from now on each snapshot is also uploaded.
// Run again, it uploads whatever is missing (after the bucket was unreachable, say). For the seeds' "rsync to a
// remote machine" users: the copy is a whole store that `init --store s3://... --existing` opens on another machine.
using System.CommandLine;
using TimeTravel.Cli.Output;
using TimeTravel.Store.Bucket;

namespace TimeTravel.Cli.Commands;

public static class ReplicateCommand
{
    public static Command Create()
    {
        var to = new Option<string>("--to") { Description = "The bucket to copy the store into (s3://BUCKET/PREFIX)", Required = true };
        var host = new Option<string?>("--host") { Description = "This host's name in the bucket (default: the store's host name)" };
        var cmd = new Command("replicate", "Copy this store into a bucket and upload every later snapshot there too") { to, host };
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            string address = r.GetValue(to)!;
            if (!BucketLink.IsBucketAddress(address)) throw new Store.StoreException($"--to {address}: expected s3://BUCKET/PREFIX or file:///PATH");
            string root = CommonOptions.StoreRoot(r);
            string name = r.GetValue(host) ?? HostName(root);
            var pushed = BucketSetup.Replicate(root, address, name, m => Console.Error.WriteLine($"timetravel: {m}"));
            Console.WriteLine($"{address}: uploaded {pushed.Arenas} arena{(pushed.Arenas == 1 ? "" : "s")} ({Human.Bytes(pushed.ArenaBytes)}) " +
                $"and {pushed.Records} snapshot record{(pushed.Records == 1 ? "" : "s")}; the bucket holds every snapshot of {root}");
            return CommonOptions.Ok;
        }));
        return cmd;
    }

    private static string HostName(string root)
    {
        using var repo = Store.Repository.OpenReader(root);
        return repo.HostName;
    }
}
