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
        var path = new Argument<string>("path") { Description = "Absolute path of a file inside the snapshot" };
        var cmd = new Command("cat", "Print a file of a snapshot") { snapshot, path };
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            using var repo = Repository.OpenReader(r.GetValue(CommonOptions.Store)!);
            var snap = repo.FindSnapshot(r.GetValue(snapshot)!);
            string p = r.GetValue(path)!;
            var node = repo.Trees.Resolve(snap.Root, PathBytes.Components(PathBytes.FromDisplay(p)))
                ?? throw new StoreException($"{p}: not in snapshot {snap.Name}");
            if (node.Kind == FileKind.Symlink) { Console.Out.Write(PathBytes.Display(node.LinkTarget!)); return CommonOptions.Ok; }
            if (node.Kind != FileKind.Regular) throw new StoreException($"{p}: is a {node.Kind.ToString().ToLowerInvariant()}, not a file");
            using var stdout = Console.OpenStandardOutput();
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
