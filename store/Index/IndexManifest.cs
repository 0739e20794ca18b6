// The index manifest: which segments make up the index, and how far into the arenas they reach (the watermark).
// Plain text, replaced atomically; docs/format.md shows an example.
using TimeTravel.Store.Posix;

namespace TimeTravel.Store.Index;

public sealed record IndexManifest(uint WatermarkArena, long WatermarkOffset, IReadOnlyList<string> Segments, long GcGeneration = 0)
{
    public const string FileName = "manifest";
    private const string FirstLine = "timetravel-index 1";
    // Version 2 adds the `gc N` line: the generation of the last garbage collection whose index switch this index
    // descends from. A collection interrupted after its switch is told from one interrupted before it by this number,
    // which every later save carries over (a tier merge may have swallowed the collection's own segment since).
    private const string SecondLine = "timetravel-index 2";

    public static readonly IndexManifest Empty = new(0, 0, []);

    public static IndexManifest Load(string dir)
    {
        string path = Path.Combine(dir, FileName);
        if (!File.Exists(path)) return Empty;
        var lines = File.ReadAllLines(path);
        if (lines.Length < 2 || !lines[0].StartsWith("timetravel-index "))
            throw new StoreFormatException(path, "not an index manifest; run `timetravel index rebuild`");
        if (lines[0] != FirstLine && lines[0] != SecondLine)
            throw new StoreFormatException(path, $"index manifest version '{lines[0]}' is not one this timetravel reads ({FirstLine})");
        uint arena = 0; long offset = 0, generation = 0; var segments = new List<string>();
        for (int i = 1; i < lines.Length; i++)
        {
            var parts = lines[i].Split(' ');
            if (parts is ["watermark", var a, var o] && uint.TryParse(a, out arena) && long.TryParse(o, out offset)) continue;
            if (parts is ["gc", var g] && lines[0] == SecondLine && long.TryParse(g, out generation)) continue;
            if (parts is ["segment", var name] && name.EndsWith(".tti") && !name.Contains('/')) { segments.Add(name); continue; }
            if (lines[i].Length == 0) continue;
            throw new StoreFormatException(path, $"line {i + 1} is malformed: '{lines[i]}'; run `timetravel index rebuild`");
        }
        return new IndexManifest(arena, offset, segments, generation);
    }

    public void Save(string dir)
    {
        string path = Path.Combine(dir, FileName), tmp = path + ".tmp";
        // A store never collected keeps writing version 1, which every earlier timetravel reads.
        var text = (GcGeneration == 0 ? $"{FirstLine}\n" : $"{SecondLine}\ngc {GcGeneration}\n")
            + $"watermark {WatermarkArena} {WatermarkOffset}\n" + string.Concat(Segments.Select(s => $"segment {s}\n"));
        using (var f = StoreFiles.Open(tmp, FileMode.Create, FileAccess.Write))
        {
            f.Write(System.Text.Encoding.ASCII.GetBytes(text));
            f.Flush(true);
        }
        File.Move(tmp, path, overwrite: true);
        PosixFs.FsyncDirectory(dir);
    }
}
