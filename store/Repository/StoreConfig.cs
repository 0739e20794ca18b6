// The store's config file: its first line names the format and version, so any version of timetravel can tell
// a store it cannot read from a damaged one; from format 3 its last line is a CRC-32 of the lines before it, so a
// changed digit is found. The chunker sizes are fixed for the store's life.
using System.IO.Hashing;
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Chunking;

namespace TimeTravel.Store;

public sealed record StoreConfig(string Id, DateTimeOffset Created, ChunkerParameters Chunker, long ArenaSize, int Version = StoreConfig.FormatVersion)
{
    /// <summary>
    /// The newest format this timetravel reads and the one it creates. 2 added codec 2 (zstd) to records; 3 the config's
    /// checksum line (a format 2 config has none and is read as it is); 4 catalog records (block type 3) in the arenas.
    /// </summary>
    public const int FormatVersion = 4;
    private const int FirstChecksummedVersion = 3;
    public const int FirstCatalogRecordsVersion = 4;

    /// <summary>
    /// A format 2 or 3 store is raised to format 4 by its first writer of this version, before any catalog record is
    /// appended: an older timetravel then refuses it ("upgrade timetravel") instead of taking the new records for
    /// damage. A format 1 store (LZ4 only) keeps its format and gets no records (see docs/design.md).
    /// </summary>
    public bool GainsCatalogRecords => Version is >= 2 and < FirstCatalogRecordsVersion;

    /// <summary>Rewrites the config at `path` as format 4 (a rename, after fsync), every value kept.</summary>
    public StoreConfig RaiseToCatalogRecords(string path)
    {
        var raised = this with { Version = FirstCatalogRecordsVersion };
        raised.Save(path + ".tmp");
        File.Move(path + ".tmp", path, overwrite: true);
        Posix.PosixFs.FsyncDirectory(Path.GetDirectoryName(path)!);
        return raised;
    }

    /// <summary>A store keeps the format it was made with, so the timetravel that made it can always read it.</summary>
    public RecordCodecs Codecs => Version >= 2 ? RecordCodecs.Lz4OrZstd : RecordCodecs.Lz4;
    private const string Signature = "timetravel-store";

    public static StoreConfig New(long arenaSize = ArenaFormat.DefaultMaxArenaSize) =>
        new(Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow, ChunkerParameters.Default, arenaSize);

    /// <summary>Writes the config and makes it durable (the caller renames it into place).</summary>
    public void Save(string path)
    {
        if (ArenaSize < 1 << 20 || ArenaSize > uint.MaxValue)
            throw new StoreException($"arena size {ArenaSize} is out of range (1 MiB to 4 GiB: offsets are 32 bits)");
        using var f = StoreFiles.Open(path, FileMode.Create, FileAccess.Write);
        var body = System.Text.Encoding.ASCII.GetBytes(
            $"{Signature} {Version}\n" +
            $"id {Id}\n" +
            $"created {Created.ToUnixTimeSeconds()}\n" +
            $"chunker {Chunker.MinSize} {Chunker.AverageSize} {Chunker.MaxSize}\n" +
            $"arena-size {ArenaSize}\n");
        f.Write(body);
        if (Version >= FirstChecksummedVersion) f.Write(System.Text.Encoding.ASCII.GetBytes(ChecksumLine(body) + "\n"));
        f.Flush(true);
    }

    private const string ChecksumKeyword = "checksum crc32";
    private static string ChecksumLine(ReadOnlySpan<byte> body) => $"{ChecksumKeyword} {Crc32.HashToUInt32(body):x8}";

    public static StoreConfig Load(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (FileNotFoundException) { throw new StoreException($"{Path.GetDirectoryName(path)}: not a TimeTravel store (no config file); create one with `timetravel init`"); }
        catch (DirectoryNotFoundException) { throw new StoreException($"{Path.GetDirectoryName(path)}: no such store; create one with `timetravel init`"); }
        catch (UnauthorizedAccessException) { throw new StoreException($"{path}: permission denied (the store is readable by root only)"); }
        var lines = System.Text.Encoding.ASCII.GetString(bytes).Split('\n');
        if (lines[^1].Length == 0) lines = lines[..^1];
        if (lines.Length == 0 || !lines[0].StartsWith(Signature + " "))
            throw new StoreFormatException(path, "not a TimeTravel store config (damaged or foreign file)");
        if (!int.TryParse(lines[0].AsSpan(Signature.Length + 1), out int version))
            throw new StoreFormatException(path, $"unreadable format version in '{lines[0]}'");
        if (version > FormatVersion)
            throw new StoreFormatException(path, $"store format version {version} is newer than this timetravel reads ({FormatVersion}); upgrade timetravel");
        if (version >= FirstChecksummedVersion)
        {
            // The last line checks every byte before it; a format 2 config has none and is read as it is.
            int bodyEnd = Array.LastIndexOf(bytes, (byte)'\n', Math.Max(0, bytes.Length - 2)) + 1;
            if (!lines[^1].StartsWith(ChecksumKeyword + " "))
                throw new StoreFormatException(path, $"the config of a format {version} store lacks its checksum line (cut short or edited?); put back a copy of it");
            if (lines[^1] != ChecksumLine(bytes.AsSpan(0, bodyEnd)))
                throw new StoreFormatException(path, "the config does not match its checksum: a digit or letter in it was changed " +
                    "(damaged or edited); put back a copy of it (its values are fixed for the store's life)");
            lines = lines[..^1];
        }
        string? id = null; long created = 0, arena = ArenaFormat.DefaultMaxArenaSize; ChunkerParameters? chunker = null;
        for (int i = 1; i < lines.Length; i++)
        {
            var p = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (p)
            {
                case ["id", var v]: id = v; break;
                case ["created", var v] when long.TryParse(v, out created): break;
                case ["chunker", var a, var b, var c] when int.TryParse(a, out int mn) && int.TryParse(b, out int av) && int.TryParse(c, out int mx):
                    chunker = new ChunkerParameters(mn, av, mx); break;
                case ["arena-size", var v] when long.TryParse(v, out arena): break;
                case []: break;
                default: throw new StoreFormatException(path, $"line {i + 1} is malformed: '{lines[i]}'");
            }
        }
        if (id is null || chunker is null) throw new StoreFormatException(path, "config lacks its id or chunker line");
        if (arena < 1 << 20 || arena > uint.MaxValue)
            throw new StoreFormatException(path, $"arena-size {arena} is out of range (1 MiB to 4 GiB: offsets are 32 bits)");
        return new StoreConfig(id, DateTimeOffset.FromUnixTimeSeconds(created), chunker, arena, version);
    }
}
