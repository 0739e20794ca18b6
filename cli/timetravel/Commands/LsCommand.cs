// `timetravel ls SNAPSHOT [PATH]`: a directory (or one entry) of a snapshot, like `ls -l`. Names are shown as
// PathBytes.Quoted writes them ($'...' for a name with a control character, a backslash, a quote or bytes that are
// not UTF-8), one per line; --json adds the raw bytes.
using System.CommandLine;
using TimeTravel.Cli.Output;
using TimeTravel.Store;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;

namespace TimeTravel.Cli.Commands;

public static class LsCommand
{
    public static Command Create()
    {
        var snapshot = new Argument<string>("snapshot") { Description = "Snapshot name, id, or latest" };
        var path = new Argument<string>("path") { Description = "A directory or file as it was (absolute, or relative to the current directory)", DefaultValueFactory = _ => "/" };
        var json = CommonOptions.Json();
        var recursive = new Option<bool>("--recursive", "-R") { Description = "List everything below the path" };
        var cmd = new Command("ls", "List a directory of a snapshot") { snapshot, path, json, recursive };
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            using var repo = Repository.OpenReader(CommonOptions.StoreRoot(r));
            var snap = repo.FindSnapshot(r.GetValue(snapshot)!);
            byte[] p = PathArguments.InSnapshots(repo, r.GetValue(path)!, b => repo.Trees.Resolve(snap.Root, PathBytes.Components(b)) is not null);
            var node = repo.Trees.Resolve(snap.Root, PathBytes.Components(p))
                ?? throw new StoreException($"{PathBytes.Quoted(p)}: not in snapshot {snap.Name}");
            IEnumerable<(byte[] Path, Node Node)> entries = node.Kind != FileKind.Directory
                ? [(p, node)]
                : r.GetValue(recursive) ? repo.Trees.Walk(node, []) : repo.Trees.ReadDirectory(node.Content).Select(n => (n.Name, n));
            if (r.GetValue(json))
            {
                JsonOut.Write(w =>
                {
                    w.WriteStartArray();
                    foreach (var (name, n) in entries)
                    {
                        w.WriteStartObject();
                        w.WriteString("name", PathBytes.Display(name));
                        w.WriteBase64String("nameBase64", name); // the name's bytes exactly, whatever they are
                        w.WriteString("type", n.Kind.ToString().ToLowerInvariant());
                        w.WriteNumber("mode", n.Mode); w.WriteNumber("uid", n.Uid); w.WriteNumber("gid", n.Gid);
                        w.WriteNumber("size", n.Size); w.WriteNumber("mtimeNs", n.MTimeNs); w.WriteNumber("ctimeNs", n.CTimeNs);
                        w.WriteNumber("nlink", n.NLink);
                        if (n.LinkTarget != null)
                        {
                            w.WriteString("target", PathBytes.Display(n.LinkTarget));
                            w.WriteBase64String("targetBase64", n.LinkTarget);
                        }
                        if (n.Flags != NodeFlags.None) w.WriteString("flags", n.Flags.ToString());
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                });
                return CommonOptions.Ok;
            }
            foreach (var (name, n) in entries) Console.WriteLine(Human.LsLine(n, PathBytes.Quoted(name)));
            return CommonOptions.Ok;
        }));
        return cmd;
    }
}
