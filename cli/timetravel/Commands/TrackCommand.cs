// `timetravel track`: the change tracker daemon (fanotify) that feeds the store's change journal.
using System.CommandLine;
using TimeTravel.Kernel.Tracking;
using TimeTravel.Store;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Snapshots;

namespace TimeTravel.Cli.Commands;

public static class TrackCommand
{
    public static Command Create()
    {
        var cmd = new Command("track", "Record which paths change, so the next snapshot reads only those (runs until SIGTERM)");
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            string store;
            List<Store.Catalog.SourceRecord> sources;
            using (var repo = Repository.OpenReader(r.GetValue(CommonOptions.Store)!))
            {
                store = repo.Layout.Root;
                sources = repo.Catalog.Sources().ToList();
            }
            if (sources.Count == 0) throw new StoreException($"{store}: no sources to track; add one with `timetravel init SOURCE`");
            var trie = SourceTrie.Build(sources, store);
            var options = new TrackerOptions
            {
                Sources = sources.Select(s => s.Path).ToList(),
                IgnoreRoot = store,
                Exclude = path => IsExcluded(sources, path),
            };
            return TrackerDaemon.RunUntilSignalled(options, new StoreLayout(store).Journal, Console.Error);
        }));
        return cmd;
    }

    private static bool IsExcluded(List<Store.Catalog.SourceRecord> sources, byte[] path)
    {
        string text = PathBytes.Display(path);
        foreach (var s in sources)
        {
            if (!text.StartsWith(s.Path.TrimEnd('/') + "/", StringComparison.Ordinal)) continue;
            var rules = new ExcludeRules(s.Excludes);
            int slash = Array.LastIndexOf(path, (byte)'/');
            if (rules.IsExcluded(path, path[(slash + 1)..])) return true;
        }
        return false;
    }
}
