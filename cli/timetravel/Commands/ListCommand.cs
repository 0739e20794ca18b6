// `timetravel list`: the snapshots with their time and statistics, and their pins (a pinned snapshot is kept by every
// retention policy; `timetravel pin`). Every host's snapshots the catalog holds, with a HOST column once it holds
// another host's (Naming.HostNames); `--host NAME` shows one host's only.
using System.CommandLine;
using System.Text.Json;
using TimeTravel.Cli.Output;
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Collection;
using TimeTravel.Store.Naming;

namespace TimeTravel.Cli.Commands;

public static class ListCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var usage = new Option<bool>("--usage") { Description = "Compute the bytes only each snapshot holds now, however big the store (then cached until the snapshots change)" };
        var host = new Option<string?>("--host") { Description = "Only this host's snapshots (a store several hosts write into holds theirs too)" };
        var cmd = new Command("list", "List the snapshots") { json, usage, host };
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            using var repo = Repository.OpenReader(r.GetValue(CommonOptions.Store)!);
            var all = repo.Catalog.Snapshots();
            string own = repo.HostName;
            bool hosts = HostNames.Many(all);
            var snaps = all;
            if (r.GetValue(host) is { } shown)
            {
                HostNames.Check(shown, "--host");
                snaps = HostNames.OfHost(all, shown, own).ToList();
                if (snaps.Count == 0 && !HostNames.All(all, own).Contains(shown))
                    throw new StoreException($"--host {shown}: no snapshot of that host in {repo.Layout.Root}; its hosts are {string.Join(", ", HostNames.All(all, own))}");
            }
            // Bytes only each snapshot holds: what forgetting it alone lets `timetravel gc` free (cached in STORE/gc/usage).
            // Computing them is a pass over every block (110 s cold for 10 million): a big store gets them with --usage.
            long blocks = repo.Blocks.Index.Segments.Sum(x => x.Count);
            var only = SnapshotUsage.Exclusive(repo, all, compute: r.GetValue(usage) || blocks <= UsageComputedUpTo());
            if (only is null)
            {
                Console.Error.WriteLine($"timetravel: ONLY (bytes only each snapshot holds) is not computed yet for these snapshots: a pass over " +
                    $"{blocks} blocks; `timetravel list --usage` computes it and keeps it until the snapshots change");
                only = new Dictionary<long, long>();
            }
            if (r.GetValue(json))
            {
                JsonOut.Write(w => { w.WriteStartArray(); foreach (var s in snaps) WriteSnapshot(w, s, More(s), all); w.WriteEndArray(); });
                // Per snapshot: "host" when the catalog holds more than one, and the bytes only it holds when computed.
                Action<Utf8JsonWriter>? More(SnapshotRecord s) =>
                    !hosts && !only.ContainsKey(s.Id) ? null : x =>
                    {
                        if (hosts) x.WriteString("host", HostNames.Of(s, own));
                        if (only.TryGetValue(s.Id, out long b)) x.WriteNumber("exclusiveBytes", b);
                    };
                return CommonOptions.Ok;
            }
            // FILES and SIZE are what each snapshot holds; VISITED the files it looked at (a journal snapshot: only the changes).
            // ONLY: the stored bytes no other snapshot uses, which forgetting this one alone would free.
            // PIN, last since it carries notes of any length: "pinned", or "pinned: NOTE"; a post snapshot "post of PRE: NOTE".
            string Host(SnapshotRecord s) => hosts ? $"{HostNames.Of(s, own),-15} " : "";
            Console.WriteLine($"{(hosts ? $"{"HOST",-15} " : "")}{"NAME",-20} {"TIME",-25} {"FILES",10} {"SIZE",11} {"VISITED",10} {"NEW",11} {"ONLY",11} {"SECONDS",8}  {"HOW",-15}  PIN");
            foreach (var s in snaps)
                Console.WriteLine(($"{Host(s)}{s.Name,-20} {s.Time:yyyy-MM-dd HH:mm:ss zzz}  {Count(s.Stats.Files),10} {(s.Stats.LogicalBytes < 0 ? "?" : Human.Bytes(s.Stats.LogicalBytes)),11} " +
                    $"{s.Stats.VisitedFiles,10} {Human.Bytes(s.Stats.NewBytes),11} {(only.TryGetValue(s.Id, out long o) ? Human.Bytes(o) : "?"),11} {s.Stats.DurationMs / 1000.0,8:0.00}  {s.Method + (s.Complete ? "" : " partial"),-15}  " +
                    Remarks(s, all)).TrimEnd());
            return CommonOptions.Ok;
        }));
        return cmd;
    }

    /// <summary>
    /// The last column: the pin and its note, the pre checkpoint a post snapshot pairs with, and the snapshot's own note
    /// when the pin's does not already say it: "pinned: apt: apt-get install hello", "post of 2026-12-03_1500: install hello 2.10-3".
    /// </summary>
    public static string Remarks(SnapshotRecord s, IReadOnlyList<SnapshotRecord> all)
    {
        var parts = new List<string>();
        if (s.Pin is not null) parts.Add("pinned" + (string.IsNullOrEmpty(s.Pin.Note) ? "" : ": " + s.Pin.Note));
        if (s.PreId > 0) parts.Add("post of " + (all.FirstOrDefault(x => x.Id == s.PreId)?.Name ?? $"id {s.PreId} (forgotten)"));
        if (!string.IsNullOrEmpty(s.Note) && s.Note != s.Pin?.Note)
        {
            if (parts.Count > 0 && s.PreId > 0) parts[^1] += ": " + s.Note;
            else parts.Add("note: " + s.Note);
        }
        return string.Join("; ", parts);
    }

    /// <summary>Stores of up to this many blocks (about 20 s cold) get ONLY computed by a plain `list`.</summary>
    private static long UsageComputedUpTo() =>
        long.TryParse(Environment.GetEnvironmentVariable("TIMETRAVEL_TEST_USAGE_LIMIT"), out long limit) ? limit : 2_000_000; // test hook

    // -1: a journal snapshot from before totals were counted (see SnapshotStats).
    private static string Count(long n) => n < 0 ? "?" : n.ToString();

    private static void WriteCount(Utf8JsonWriter w, string name, long n)
    {
        if (n < 0) w.WriteNull(name);
        else w.WriteNumber(name, n);
    }

    /// <summary>
    /// One snapshot as a JSON object; `more` adds fields of the caller's (forget's reasons); `all`, when given, names
    /// a post snapshot's pre checkpoint.
    /// </summary>
    public static void WriteSnapshot(Utf8JsonWriter w, SnapshotRecord s, Action<Utf8JsonWriter>? more = null, IReadOnlyList<SnapshotRecord>? all = null)
    {
        w.WriteStartObject();
        w.WriteNumber("id", s.Id);
        w.WriteString("name", s.Name);
        JsonOut.Time(w, "time", s.Time);
        w.WriteStartArray("sources"); foreach (var x in s.Sources) w.WriteStringValue(x); w.WriteEndArray();
        w.WriteString("root", s.Root.Content.Root.ToString());
        w.WriteBoolean("complete", s.Complete);
        w.WriteString("method", s.Method);
        if (s.MethodReason != null) w.WriteString("reason", s.MethodReason);
        if (s.ChangedCount >= 0) w.WriteNumber("changedPaths", s.ChangedCount);
        WriteCount(w, "files", s.Stats.Files);
        WriteCount(w, "directories", s.Stats.Directories);
        WriteCount(w, "logicalBytes", s.Stats.LogicalBytes);
        w.WriteNumber("visitedFiles", s.Stats.VisitedFiles);
        w.WriteNumber("visitedDirectories", s.Stats.VisitedDirectories);
        w.WriteNumber("bytesRead", s.Stats.BytesRead);
        if (s.Stats.ReadsCounted)
        {
            // How the files' content was got: read whole, read by changed ranges (bytes read against their size), kept.
            w.WriteStartObject("reads");
            w.WriteNumber("wholeFiles", s.Stats.WholeFiles);
            w.WriteNumber("wholeBytesRead", s.Stats.WholeBytes);
            w.WriteNumber("rangeFiles", s.Stats.RangeFiles);
            w.WriteNumber("rangeFileBytes", s.Stats.RangeFileBytes);
            w.WriteNumber("rangeBytesRead", s.Stats.RangeBytesRead);
            w.WriteNumber("reusedFiles", s.Stats.ReusedFiles);
            w.WriteEndObject();
        }
        w.WriteNumber("newBlocks", s.Stats.NewBlocks);
        w.WriteNumber("newBytes", s.Stats.NewBytes);
        w.WriteNumber("storedBytes", s.Stats.StoredBytes);
        w.WriteNumber("durationMs", s.Stats.DurationMs);
        w.WriteNumber("errors", s.Stats.Errors);
        w.WriteBoolean("pinned", s.Pin is not null);
        if (s.Pin is not null)
        {
            w.WriteStartObject("pin");
            JsonOut.Time(w, "time", s.Pin.Time);
            if (!string.IsNullOrEmpty(s.Pin.Note)) w.WriteString("note", s.Pin.Note);
            else w.WriteNull("note");
            w.WriteEndObject();
        }
        if (s.Note is not null) w.WriteString("note", s.Note);
        else w.WriteNull("note");
        if (s.PreId > 0)
        {
            // A post snapshot: the pre checkpoint it pairs with (name null once that one is forgotten or not looked up).
            w.WriteStartObject("pre");
            w.WriteNumber("id", s.PreId);
            if (all?.FirstOrDefault(x => x.Id == s.PreId) is { } pre) w.WriteString("name", pre.Name);
            else w.WriteNull("name");
            w.WriteEndObject();
        }
        more?.Invoke(w);
        w.WriteEndObject();
    }
}
