// What a garbage collection is doing, on disk in STORE/gc/state (plain text, replaced atomically and fsynced before
// each step it describes), so a collection killed at any moment is finished or undone by the next one. docs/format.md
// shows the lines. Phases: idle (nothing to recover), copying (compacted arenas from FirstNewArena up are being
// written and no index names them yet), switching (the new index is about to be installed; whether it was is told by
// the manifest's `gc` generation, which every later manifest carries over).
using TimeTravel.Store.Posix;

namespace TimeTravel.Store.Collection;

public enum CollectionPhase { Idle, Copying, Switching }

public sealed record CollectionState
{
    public const string DirectoryName = "gc";
    public const string FileName = "state";
    private const string FirstLine = "timetravel-gc 1";

    public CollectionPhase Phase { get; init; } = CollectionPhase.Idle;
    /// <summary>The generation of the last collection started (the next one takes this plus one).</summary>
    public long Generation { get; init; }
    /// <summary>The next compacted arena number: numbers are never reused, even those of a collection undone.</summary>
    public uint NextArena { get; init; } = Arenas.ArenaFormat.FirstCompactedArena;
    /// <summary>copying, switching: the first compacted arena this collection writes; every one from it up is its own.</summary>
    public uint FirstNewArena { get; init; }
    /// <summary>switching: the arenas to delete once the switch happened.</summary>
    public IReadOnlyList<uint> Victims { get; init; } = [];
    /// <summary>switching: the segments this collection installs in the index directory.</summary>
    public IReadOnlyList<string> NewSegments { get; init; } = [];
    /// <summary>switching: the segments the new manifest no longer names, deleted after the switch.</summary>
    public IReadOnlyList<string> ReplacedSegments { get; init; } = [];

    public static string DirectoryOf(StoreLayout layout) => Path.Combine(layout.Root, DirectoryName);
    public static string PathOf(StoreLayout layout) => Path.Combine(DirectoryOf(layout), FileName);

    public static CollectionState Load(StoreLayout layout)
    {
        string path = PathOf(layout);
        if (!File.Exists(path)) return new CollectionState();
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != FirstLine)
            throw new StoreFormatException(path, $"not a gc state file this timetravel reads (first line '{(lines.Length > 0 ? lines[0] : "")}', expected '{FirstLine}')");
        var s = new CollectionState();
        for (int i = 1; i < lines.Length; i++)
        {
            var p = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            s = p switch
            {
                [] => s,
                ["phase", var v] when Enum.TryParse<CollectionPhase>(v, ignoreCase: true, out var ph) => s with { Phase = ph },
                ["generation", var v] when long.TryParse(v, out long g) => s with { Generation = g },
                ["next-arena", var v] when uint.TryParse(v, out uint n) => s with { NextArena = n },
                ["first-new-arena", var v] when uint.TryParse(v, out uint n) => s with { FirstNewArena = n },
                ["victims", .. var v] => s with { Victims = v.Select(x => uint.TryParse(x, out uint n) ? n : throw Bad(path, i, lines[i])).ToList() },
                ["new-segments", .. var v] => s with { NewSegments = v.Select(x => SegmentName(x, path, i, lines[i])).ToList() },
                ["replaced-segments", .. var v] => s with { ReplacedSegments = v.Select(x => SegmentName(x, path, i, lines[i])).ToList() },
                _ => throw Bad(path, i, lines[i]),
            };
        }
        return s;
    }

    private static string SegmentName(string name, string path, int line, string text) =>
        name.EndsWith(".tti") && !name.Contains('/') ? name : throw Bad(path, line, text);

    private static StoreFormatException Bad(string path, int line, string text) =>
        new(path, $"line {line + 1} is malformed: '{text}'");

    /// <summary>Writes the state durably: a temporary file fsynced, renamed over the old one, the directory fsynced.</summary>
    public void Save(StoreLayout layout)
    {
        string dir = DirectoryOf(layout);
        StoreFiles.CreateDirectory(dir);
        string path = PathOf(layout), tmp = path + ".tmp";
        var text = $"{FirstLine}\nphase {Phase.ToString().ToLowerInvariant()}\ngeneration {Generation}\nnext-arena {NextArena}\n";
        if (Phase != CollectionPhase.Idle) text += $"first-new-arena {FirstNewArena}\n";
        if (Phase == CollectionPhase.Switching)
            text += $"victims {string.Join(' ', Victims)}\nnew-segments {string.Join(' ', NewSegments)}\nreplaced-segments {string.Join(' ', ReplacedSegments)}\n";
        using (var f = StoreFiles.Open(tmp, FileMode.Create, FileAccess.Write))
        {
            f.Write(System.Text.Encoding.ASCII.GetBytes(text));
            f.Flush(true);
        }
        File.Move(tmp, path, overwrite: true);
        PosixFs.FsyncDirectory(dir);
    }
}
