// `timetravel track`: the change tracker daemon (fanotify) that feeds the store's change journal. It drops what a
// walk would not record (SourceTrie.Covers: outside the sources, excluded at any level, the store) and re-reads the
// catalog when it changes, restarting its watch if the sources or their exclude rules did.
using System.CommandLine;
using TimeTravel.Kernel.Journal;
using TimeTravel.Kernel.Tracking;
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Snapshots;

namespace TimeTravel.Cli.Commands;

public static class TrackCommand
{
    public static Command Create()
    {
        var noRanges = new Option<bool>("--no-ranges") { Description = "Record changed files only, not which parts of them changed (no eBPF)" };
        var cmd = new Command("track", "Record which paths change, so the next snapshot reads only those (runs until SIGTERM)") { noRanges };
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            var layout = new StoreLayout(CommonOptions.StoreRoot(r));
            TrackerOptions Load()
            {
                using var repo = Repository.OpenReader(layout.Root);
                return OptionsFor(repo.Catalog.Sources(), repo.Layout.Root, trackRanges: !r.GetValue(noRanges));
            }
            if (Load().Sources.Count == 0) throw new StoreException($"{layout.Root}: no sources to track; add one with `timetravel init SOURCE`");
            return TrackerDaemon.RunUntilSignalled(Load, () => CatalogStamp(layout), layout.Journal, Console.Error);
        }));
        return cmd;
    }

    /// <summary>What the tracker watches for these sources: the same paths a walk records.</summary>
    public static TrackerOptions OptionsFor(IReadOnlyList<SourceRecord> sources, string storeRoot, bool trackRanges = false)
    {
        var trie = SourceTrie.Build(sources, storeRoot);
        return new TrackerOptions
        {
            Sources = sources.Select(s => PathBytes.Normalize(s.Path)).ToList(),
            IgnoreRoot = storeRoot,
            Exclude = path => !trie.Covers(path),
            Fingerprints = sources.ToDictionary(s => PathBytes.Normalize(s.Path), s => SourceFingerprint.Of(s, storeRoot)),
            TrackRanges = trackRanges,
        };
    }

    /// <summary>The sources as an importer or tracker records them in the journal (no root identities).</summary>
    public static List<WatchedSource> Described(IReadOnlyList<SourceRecord> sources, string storeRoot) =>
        sources.Select(s => new WatchedSource(PathBytes.Normalize(s.Path), SourceFingerprint.Of(s, storeRoot), 0, 0, 0)).ToList();

    // The catalog's size and mtime, and its LiteDB log's: cheap to poll, and they change whenever the catalog does.
    private static string CatalogStamp(StoreLayout layout)
    {
        static string Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? $"{info.LastWriteTimeUtc.Ticks}:{info.Length}" : "-";
        }
        var log = Path.Combine(Path.GetDirectoryName(layout.Catalog)!, Path.GetFileNameWithoutExtension(layout.Catalog) + "-log" + Path.GetExtension(layout.Catalog));
        return Of(layout.Catalog) + "/" + Of(log);
    }
}
