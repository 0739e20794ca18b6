// `timetravel pin SNAPSHOT [--note TEXT]` and `timetravel unpin SNAPSHOT`: a pinned snapshot is kept by every
// retention policy, and `forget` by name refuses it until it is unpinned (a checkpoint before an upgrade, a legal
// hold). The snapshot is named exactly, as for `forget`. The pin (time and note) is part of the snapshot's record.
using System.CommandLine;
using TimeTravel.Store;
using TimeTravel.Store.Catalog;

namespace TimeTravel.Cli.Commands;

public static class PinCommand
{
    public static Command Create()
    {
        var snapshot = new Argument<string>("snapshot") { Description = "Snapshot name, id, or latest" };
        var note = new Option<string?>("--note") { Description = "Why it is pinned (shown by list)" };
        var cmd = new Command("pin", "Keep a snapshot from every retention policy and from forget, until unpinned") { snapshot, note };
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            using var repo = Repository.OpenWriter(r.GetValue(CommonOptions.Store)!, "timetravel pin");
            var s = Find(repo, r.GetValue(snapshot)!, "pinned");
            string? text = r.GetValue(note);
            repo.Pin(s, string.IsNullOrEmpty(text) ? null : text);
            Console.WriteLine($"pinned {s.Name} (id {s.Id}){(string.IsNullOrEmpty(text) ? "" : ": " + text)}" +
                (s.Pin is null ? "" : $" (it was pinned since {s.Pin.Time:yyyy-MM-dd HH:mm:ss zzz}{NoteSuffix(s.Pin)}; the new pin replaces that)"));
            return CommonOptions.Ok;
        }));
        return cmd;
    }

    public static Command CreateUnpin()
    {
        var snapshot = new Argument<string>("snapshot") { Description = "Snapshot name, id, or latest" };
        var cmd = new Command("unpin", "Let retention policies and forget remove a pinned snapshot again") { snapshot };
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            using var repo = Repository.OpenWriter(r.GetValue(CommonOptions.Store)!, "timetravel unpin");
            var s = Find(repo, r.GetValue(snapshot)!, "unpinned");
            if (s.Pin is null)
            {
                Console.WriteLine($"{s.Name} (id {s.Id}) is not pinned; nothing changed");
                return CommonOptions.Ok;
            }
            repo.Unpin(s);
            Console.WriteLine($"unpinned {s.Name} (id {s.Id}){NoteSuffix(s.Pin)}");
            return CommonOptions.Ok;
        }));
        return cmd;
    }

    /// <summary>" (NOTE)" for a pin with a note, else "".</summary>
    public static string NoteSuffix(PinInfo pin) => string.IsNullOrEmpty(pin.Note) ? "" : $" ({pin.Note})";

    // Another host's snapshot is refused: its pins are its own host's (and retention here never plans for it).
    private static SnapshotRecord Find(Repository repo, string spec, string what)
    {
        var s = repo.MatchSnapshot(repo.Catalog.Snapshots(), spec, allowPrefix: false)
            ?? throw new StoreException($"no snapshot '{spec}' in {repo.Layout.Root} (names and ids must match exactly); nothing was {what}");
        Repository.RequireOwn(s, what == "pinned" ? "pin" : "unpin");
        return s;
    }
}
