// `timetravel stats`: logical, data, unique and stored bytes, with dedup and compression ratios. The dedup ratio is
// data bytes (file sizes less sparse holes) over unique bytes, so a large sparse file does not inflate it.
using System.CommandLine;
using TimeTravel.Cli.Output;
using TimeTravel.Store;
using TimeTravel.Store.Collection;
using TimeTravel.Store.Maintenance;

namespace TimeTravel.Cli.Commands;

public static class StatsCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var cmd = new Command("stats", "Show how much the store holds and saves") { json };
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            using var repo = Repository.OpenReader(CommonOptions.StoreRoot(r));
            var progress = new WorkProgress();
            var s = ProgressDisplay.Run("stats", progress, () => StoreStatistics.Compute(repo, progress));
            // What `timetravel gc` would free now: all garbage in sealed arenas, and what the threshold lets it take.
            double threshold = GcCommand.SavedThreshold(repo.Layout.Root);
            var gc = ProgressDisplay.Run("stats", progress, () => Collector.Estimate(repo, threshold, progress));
            if (r.GetValue(json))
            {
                JsonOut.Write(w =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("snapshots", s.Snapshots); w.WriteNumber("logicalBytes", s.LogicalBytes);
                    w.WriteNumber("dataBytes", s.DataBytes);
                    w.WriteNumber("uniqueBytes", s.UniqueBytes); w.WriteNumber("storedBytes", s.StoredBytes);
                    w.WriteNumber("blocks", s.Blocks); w.WriteNumber("arenas", s.Arenas);
                    w.WriteNumber("dedupRatio", Math.Round(s.DedupRatio, 3)); w.WriteNumber("compressionRatio", Math.Round(s.CompressionRatio, 3));
                    w.WriteNumber("garbageBytes", gc.GarbageBytes); w.WriteNumber("gcThreshold", threshold); w.WriteNumber("gcWouldFreeBytes", gc.FreedBytes);
                    w.WriteEndObject();
                });
                return CommonOptions.Ok;
            }
            Console.WriteLine($"snapshots          {s.Snapshots}");
            Console.WriteLine($"logical bytes      {Human.Bytes(s.LogicalBytes)}  (file sizes in all snapshots, as if restored)");
            Console.WriteLine($"data bytes         {Human.Bytes(s.DataBytes)}  (the same without the holes of sparse files)");
            Console.WriteLine($"unique bytes       {Human.Bytes(s.UniqueBytes)}  in {s.Blocks} blocks");
            Console.WriteLine($"stored bytes       {Human.Bytes(s.StoredBytes)}  in {s.Arenas} arenas");
            Console.WriteLine($"dedup ratio        {s.DedupRatio:0.00}x  (data bytes / unique bytes)");
            Console.WriteLine($"compression ratio  {s.CompressionRatio:0.00}x  (unique bytes / stored bytes)");
            Console.WriteLine($"garbage            {Human.Bytes(gc.GarbageBytes)}  (blocks no snapshot uses, in sealed arenas)");
            Console.WriteLine($"gc would free      {Human.Bytes(gc.FreedBytes)}  (rewriting {gc.Victims.Count} arenas less than {threshold:0.##%} live)");
            return CommonOptions.Ok;
        }));
        return cmd;
    }
}
