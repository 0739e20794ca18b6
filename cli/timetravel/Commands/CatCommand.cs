// `timetravel cat SNAPSHOT PATH`: a file's content as it was, to standard output.
using System.CommandLine;
using TimeTravel.Store;
using TimeTravel.Store.Posix;

namespace TimeTravel.Cli.Commands;

public static class CatCommand
{
    public static Command Create()
    {
        var snapshot = new Argument<string>("snapshot") { Description = "Snapshot name, id, or latest" };
        var path = new Argument<string>("path") { Description = "The file as it was (absolute, or relative to the current directory)" };
        var cmd = new Command("cat", "Print a file of a snapshot") { snapshot, path };
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            using var repo = Repository.OpenReader(CommonOptions.StoreRoot(r));
            var snap = repo.FindSnapshot(r.GetValue(snapshot)!);
            byte[] p = PathArguments.InSnapshots(repo, r.GetValue(path)!, b => repo.Trees.Resolve(snap.Root, PathBytes.Components(b)) is not null);
            var node = repo.Trees.Resolve(snap.Root, PathBytes.Components(p))
                ?? throw new StoreException($"{PathBytes.Quoted(p)}: not in snapshot {snap.Name}");
            if (node.Kind != FileKind.Regular && node.Kind != FileKind.Symlink)
                throw new StoreException($"{PathBytes.Quoted(p)}: is a {node.Kind.ToString().ToLowerInvariant()}, not a file");
            using var stdout = Console.OpenStandardOutput();
            if (node.Kind == FileKind.Symlink) { stdout.Write(node.LinkTarget!); return CommonOptions.Ok; } // its target's bytes, as readlink prints them
            foreach (var leaf in repo.Trees.Streams.Leaves(node.Content))
            {
                if (leaf.IsHole)
                {
                    var zeros = new byte[Math.Min(leaf.Length, 1 << 20)];
                    for (long left = leaf.Length; left > 0; left -= zeros.Length) stdout.Write(zeros, 0, (int)Math.Min(left, zeros.Length));
                }
                else stdout.Write(repo.Blocks.Get(leaf.Score));
            }
            return CommonOptions.Ok;
        }));
        return cmd;
    }
}
