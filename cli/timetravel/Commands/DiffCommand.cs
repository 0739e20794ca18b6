// `timetravel diff SNAP_A SNAP_B [PATH] [--json]`: what was added, removed and changed from one snapshot to
// another, below a path. Only directories whose content scores differ are opened, so it costs what changed.
using System.CommandLine;
using TimeTravel.Cli.Output;
using TimeTravel.Store;
using TimeTravel.Store.History;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;

namespace TimeTravel.Cli.Commands;

public static class DiffCommand
{
    public static Command Create()
    {
        var a = new Argument<string>("snapshot-a") { Description = "The earlier snapshot: name, id, or latest" };
        var b = new Argument<string>("snapshot-b") { Description = "The later snapshot: name, id, or latest" };
        var path = new Argument<string>("path") { Description = "Compare only below this path (absolute, or relative to the current directory)", DefaultValueFactory = _ => "/" };
        var json = CommonOptions.Json();
        var cmd = new Command("diff", "List what changed between two snapshots") { a, b, path, json };
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            using var repo = Repository.OpenReader(CommonOptions.StoreRoot(r));
            var before = repo.FindSnapshot(r.GetValue(a)!);
            var after = repo.FindSnapshot(r.GetValue(b)!);
            byte[] p = PathArguments.InSnapshots(repo, r.GetValue(path)!, b => new[] { before, after }.Any(s => repo.Trees.Resolve(s.Root, PathBytes.Components(b)) is not null));
            var changes = TreeDiff.Of(repo).Between(before, after, p);
            if (r.GetValue(json))
            {
                JsonOut.Write(w =>
                {
                    w.WriteStartArray();
                    foreach (var c in changes)
                    {
                        var n = (c.After ?? c.Before)!;
                        w.WriteStartObject();
                        w.WriteString("change", c.Kind.ToString().ToLowerInvariant());
                        w.WriteString("path", PathBytes.Display(c.Path));
                        w.WriteString("type", n.Kind.ToString().ToLowerInvariant());
                        if (c.Kind == TreeChangeKind.Changed) { w.WriteBoolean("content", c.ContentChanged); w.WriteBoolean("metadata", c.MetadataChanged); }
                        if (c.Before is { } x) w.WriteNumber("sizeBefore", x.Size);
                        if (c.After is { } y) w.WriteNumber("sizeAfter", y.Size);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                });
                return CommonOptions.Ok;
            }
            foreach (var c in changes) Console.WriteLine(Line(c));
            return CommonOptions.Ok;
        }));
        return cmd;
    }

    public static string Line(TreeChange c)
    {
        var n = (c.After ?? c.Before)!;
        string path = PathBytes.Quoted(c.Path) + (n.Kind == FileKind.Directory && c.Path is not [(byte)'/'] ? "/" : "");
        return c.Kind switch
        {
            TreeChangeKind.Added => $"added    {path}",
            TreeChangeKind.Removed => $"removed  {path}",
            _ => $"changed  {path} ({string.Join(", ", new[] { c.ContentChanged ? "content" : null, c.MetadataChanged ? "metadata" : null }.OfType<string>())})",
        };
    }
}
