// Where the range tracker pins its maps and links under its directory on the bpf filesystem:
//   DIR/tt_state, DIR/tt_files, DIR/tt_regions   the maps (kept across tracker restarts)
//   DIR/links/NAME                               one attached program each (kept while the tracker runs or after it
//                                                crashed, removed on a clean stop)
using TimeTravel.Kernel.Interop;

namespace TimeTravel.Kernel.Ranges;

internal sealed record RangePins(string Directory)
{
    /// <summary>Each store's range tracker pins under Root/JOURNAL-ID: two stores tracked on one machine keep apart,
    /// and a restarted tracker finds its own maps again.</summary>
    public const string Root = "/sys/fs/bpf/timetravel";

    /// <summary>The pin directory of the journal with id <paramref name="journalId"/> (JOURNAL/id).</summary>
    public static string For(string journalId) => Path.Combine(Root, journalId);

    public string Map(string name) => Path.Combine(Directory, name);

    public string LinksDirectory => Path.Combine(Directory, "links");

    public string Link(string program) => Path.Combine(LinksDirectory, program);

    public bool AnyMapPinned => RangeMapLayout.Maps.Any(m => File.Exists(Map(m)));

    /// <summary>Removes the map pins (the maps go when nothing else holds them), then the link pins (their programs
    /// detach), then the directory when it is empty.</summary>
    public void Delete()
    {
        if (!System.IO.Directory.Exists(Directory)) return;
        foreach (var m in RangeMapLayout.Maps) File.Delete(Map(m));
        DeleteLinks();
        if (System.IO.Directory.Exists(Directory) && !System.IO.Directory.EnumerateFileSystemEntries(Directory).Any())
            System.IO.Directory.Delete(Directory);
    }

    public void DeleteLinks()
    {
        if (!System.IO.Directory.Exists(LinksDirectory)) return;
        foreach (var link in System.IO.Directory.EnumerateFiles(LinksDirectory)) File.Delete(link);
        System.IO.Directory.Delete(LinksDirectory);
    }
}
