// `timetravel gc [--dry-run] [--threshold F] [--save] [--json]`: frees the space of blocks no kept snapshot uses,
// while snapshots, mounts and `yesterday` go on (store/Collection, docs/design.md "Garbage collection"). Reports what
// was live, the garbage found, the arenas rewritten and deleted, the bytes freed, the time (and the part of it under
// the writer lock) and the peak memory. --dry-run changes nothing and says what a gc would free.
using System.CommandLine;
using System.Globalization;
using TimeTravel.Cli.Output;
using TimeTravel.Store;
using TimeTravel.Store.Collection;
using TimeTravel.Store.Maintenance;

namespace TimeTravel.Cli.Commands;

public static class GcCommand
{
    public static Command Create()
    {
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "Say what gc would free, change nothing" };
        var threshold = new Option<string?>("--threshold")
        {
            Description = "Rewrite arenas whose live share is below this (0.8 or 80%; default: the store's gc-threshold setting, else 0.8)",
        };
        var save = new Option<bool>("--save") { Description = "Save --threshold as the store's default" };
        var grace = new Option<string>("--grace")
        {
            Description = "A store in a bucket: how long an arena stays condemned before a later gc deletes it, and how old it must be to be condemned (default 1h)",
            DefaultValueFactory = _ => "1h",
        };
        var json = CommonOptions.Json();
        var cmd = new Command("gc", "Free the space of blocks no snapshot uses (snapshots and mounts keep working)") { dryRun, threshold, save, grace, json };
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            string store = CommonOptions.StoreRoot(r);
            bool asJson = r.GetValue(json);
            if (Store.Bucket.BucketLink.TryLoad(new StoreLayout(store)) is not null)
                return BucketGc(store, r.GetValue(grace)!, r.GetValue(dryRun), asJson);
            double? given = r.GetValue(threshold) is { } t ? ParseThreshold(t, "--threshold") : null;
            if (r.GetValue(save))
            {
                if (given is null) throw new StoreException("--save saves the --threshold given with it; give one");
                using var writer = Repository.OpenWriter(store, "timetravel gc --save");
                writer.SetRecordedSetting(Collector.ThresholdSetting, given.Value.ToString(CultureInfo.InvariantCulture));
            }
            double chosen = given ?? SavedThreshold(store);
            var progress = new WorkProgress();
            Action<string>? report = asJson ? null : m => Console.Error.WriteLine($"timetravel: {m}");
            var result = ProgressDisplay.Run("gc", progress, () => Collector.Run(store, new CollectionOptions
            {
                Threshold = chosen, DryRun = r.GetValue(dryRun), Report = report, Progress = progress,
            }));
            if (asJson) JsonOut.Write(w => Write(w, result));
            else Print(result);
            return CommonOptions.Ok;
        }));
        return cmd;
    }

    // A store in a bucket: condemn whole dead arenas, delete those condemned by an earlier gc (store/Bucket/BucketCollector).
    private static int BucketGc(string store, string graceText, bool dryRun, bool asJson)
    {
        var grace = graceText.Trim() is "0" or "0s" ? TimeSpan.Zero : SnapshotCommand.ParseInterval(graceText);
        using var repo = Repository.OpenWriter(store, "timetravel gc");
        Action<string>? report = asJson ? null : m => Console.Error.WriteLine($"timetravel: {m}");
        var result = Store.Bucket.BucketCollector.Run(repo, grace, dryRun, report);
        if (asJson)
            JsonOut.Write(w =>
            {
                w.WriteStartObject();
                w.WriteNumber("snapshots", result.Snapshots); w.WriteNumber("hosts", result.Hosts); w.WriteNumber("liveBlocks", result.LiveBlocks);
                w.WriteNumber("condemnedArenas", result.Condemned); w.WriteNumber("deletedArenas", result.Deleted);
                w.WriteNumber("deletedBytes", result.DeletedBytes); w.WriteNumber("keptArenas", result.Kept); w.WriteBoolean("dryRun", dryRun);
                w.WriteEndObject();
            });
        else
            Console.WriteLine($"live        {result.LiveBlocks} blocks in {result.Snapshots} snapshots of {result.Hosts} host{(result.Hosts == 1 ? "" : "s")}\n" +
                $"arenas      {(dryRun ? "would delete" : "deleted")} {result.Deleted} ({Human.Bytes(result.DeletedBytes)}), condemned {result.Condemned} " +
                $"for a gc at least {grace.TotalSeconds:0} s from now, {result.Kept} condemned earlier but live again");
        return CommonOptions.Ok;
    }

    /// <summary>The store's saved threshold, or the default.</summary>
    public static double SavedThreshold(string store)
    {
        using var repo = Repository.OpenReader(store);
        return repo.Catalog.Setting(Collector.ThresholdSetting) is { } saved
            ? ParseThreshold(saved, $"{repo.Layout.Catalog}: setting {Collector.ThresholdSetting}")
            : CollectionPlan.DefaultThreshold;
    }

    public static double ParseThreshold(string text, string what)
    {
        string t = text.Trim();
        bool percent = t.EndsWith('%');
        if (double.TryParse(percent ? t[..^1] : t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
        {
            if (percent) v /= 100;
            if (v is >= 0 and <= 1) return v;
        }
        throw new StoreException($"{what}: '{text}' is not a fraction from 0 to 1 (or a percentage, like 80%)");
    }

    private static void Print(CollectionResult r)
    {
        var p = r.Plan;
        Console.WriteLine($"live        {r.LiveBlocks} blocks, {Human.Bytes(r.LiveBytes)} stored, in {r.Snapshots} snapshots ({r.BlocksRead} blocks read to mark them)");
        Console.WriteLine($"garbage     {Human.Bytes(p.GarbageBytes)} in {p.Candidates.Count(c => c.GarbageBytes > 0)} of {p.Candidates.Count} sealed arenas");
        int rewritten = p.Victims.Count(v => v.LiveBlocks > 0), deleted = p.Victims.Count - rewritten;
        string verb = r.DryRun ? "would " : "";
        Console.WriteLine($"arenas      {verb}rewrite {rewritten}, {verb}delete {deleted} (live share below {p.Threshold:0.##%})" +
            (p.Deferred.Count > 0 ? $", {p.Deferred.Count} left for lack of space" : ""));
        if (r.DryRun)
            Console.WriteLine($"would free  {Human.Bytes(p.FreedBytes)}, copying {Human.Bytes(p.CopyBytes)} of live blocks");
        else
        {
            Console.WriteLine($"copied      {r.CopiedBlocks} blocks, {Human.Bytes(r.CopiedBytes)}" + (r.RevivedBlocks > 0 ? $" ({r.RevivedBlocks} revived by snapshots taken during gc)" : ""));
            Console.WriteLine($"freed       {Human.Bytes(r.FreedBytes)}: store {Human.Bytes(r.StoreBytesBefore)} -> {Human.Bytes(r.StoreBytesAfter)}");
        }
        Console.WriteLine($"time        {r.Elapsed.TotalSeconds:0.00} s" + (r.DryRun ? "" : $", {r.UnderWriterLock.TotalMilliseconds:0} ms of it holding the writer lock") +
            $"; peak memory {Human.Bytes(r.PeakMemoryBytes)} (mark bits {Human.Bytes(r.MarkBytes)})");
    }

    private static void Write(System.Text.Json.Utf8JsonWriter w, CollectionResult r)
    {
        var p = r.Plan;
        w.WriteStartObject();
        w.WriteBoolean("dryRun", r.DryRun);
        if (r.Recovered is not null) w.WriteString("recovered", r.Recovered);
        w.WriteNumber("snapshots", r.Snapshots);
        w.WriteNumber("liveBlocks", r.LiveBlocks);
        w.WriteNumber("liveBytes", r.LiveBytes);
        w.WriteNumber("blocksRead", r.BlocksRead);
        w.WriteNumber("threshold", p.Threshold);
        w.WriteNumber("garbageBytes", p.GarbageBytes);
        w.WriteNumber("candidateArenas", p.Candidates.Count);
        w.WriteStartArray("rewrittenArenas"); foreach (var v in p.Victims.Where(v => v.LiveBlocks > 0)) w.WriteNumberValue(v.Arena); w.WriteEndArray();
        w.WriteStartArray("deletedArenas"); foreach (var v in p.Victims.Where(v => v.LiveBlocks == 0)) w.WriteNumberValue(v.Arena); w.WriteEndArray();
        w.WriteStartArray("deferredArenas"); foreach (var v in p.Deferred) w.WriteNumberValue(v.Arena); w.WriteEndArray();
        w.WriteNumber("planFreesBytes", p.FreedBytes);
        w.WriteNumber("copiedBlocks", r.CopiedBlocks);
        w.WriteNumber("copiedBytes", r.CopiedBytes);
        w.WriteNumber("revivedBlocks", r.RevivedBlocks);
        w.WriteNumber("storeBytesBefore", r.StoreBytesBefore);
        w.WriteNumber("storeBytesAfter", r.StoreBytesAfter);
        w.WriteNumber("freedBytes", r.FreedBytes);
        w.WriteNumber("seconds", Math.Round(r.Elapsed.TotalSeconds, 3));
        w.WriteNumber("writerLockMs", Math.Round(r.UnderWriterLock.TotalMilliseconds, 1));
        w.WriteNumber("peakMemoryBytes", r.PeakMemoryBytes);
        w.WriteNumber("markBytes", r.MarkBytes);
        w.WriteEndObject();
    }
}
