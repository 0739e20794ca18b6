// The names of a bucket store's objects under its prefix: the one place that writes and reads them (docs/format.md §15).
//   config                            the store's config file (chunker sizes, format): the same for every host
//   hosts/HOST                        a host's registration: its arena slot
//   arenas/XXXXXXXX.arena             a sealed arena (number in hex, so keys sort by number), never rewritten
//   index/HOST/FFFFFFFF-LLLLLLLL.tti  an index segment HOST published for its arenas F..L (hex)
//   catalog/HOST/NAME.snap            one snapshot record of HOST (the catalog record encoding)
//   gc/GGGGGGGG.condemned             arenas a garbage collection found dead (generation G), deleted by a later one
//   gc/GGGGGGGG.deleted               the arenas of generation G that a later garbage collection deleted
using System.Globalization;

namespace TimeTravel.Store.Bucket;

public static class BucketKeys
{
    public const string Config = "config";
    public const string HostsPrefix = "hosts/";
    public const string ArenasPrefix = "arenas/";
    public const string IndexPrefix = "index/";
    public const string CatalogPrefix = "catalog/";
    public const string GcPrefix = "gc/";

    public static string Host(string host) => HostsPrefix + host;
    public static string Arena(uint number) => $"{ArenasPrefix}{number:x8}.arena";
    public static string IndexSegment(string host, uint first, uint last) => $"{IndexPrefix}{host}/{first:x8}-{last:x8}.tti";
    public static string HostCatalog(string host) => $"{CatalogPrefix}{host}/";
    public static string Snapshot(string host, string name) => $"{HostCatalog(host)}{name}.snap";
    public static string Condemned(long generation) => $"{GcPrefix}{generation:D8}.condemned";
    public static string Deleted(long generation) => $"{GcPrefix}{generation:D8}.deleted";

    public static bool TryParseArena(string key, out uint number)
    {
        number = 0;
        return key.StartsWith(ArenasPrefix, StringComparison.Ordinal) && key.EndsWith(".arena", StringComparison.Ordinal)
            && uint.TryParse(key.AsSpan(ArenasPrefix.Length, key.Length - ArenasPrefix.Length - ".arena".Length), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out number);
    }

    /// <summary>An index segment key: its host and the arenas it covers.</summary>
    public static bool TryParseIndexSegment(string key, out string host, out uint first, out uint last)
    {
        host = ""; first = last = 0;
        if (!key.StartsWith(IndexPrefix, StringComparison.Ordinal) || !key.EndsWith(".tti", StringComparison.Ordinal)) return false;
        var parts = key[IndexPrefix.Length..^".tti".Length].Split('/');
        if (parts.Length != 2) return false;
        var range = parts[1].Split('-');
        if (range.Length != 2) return false;
        host = parts[0];
        return uint.TryParse(range[0], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out first)
            && uint.TryParse(range[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out last) && first <= last;
    }

    /// <summary>A snapshot record key: its host and the snapshot's name.</summary>
    public static bool TryParseSnapshot(string key, out string host, out string name)
    {
        host = name = "";
        if (!key.StartsWith(CatalogPrefix, StringComparison.Ordinal) || !key.EndsWith(".snap", StringComparison.Ordinal)) return false;
        var parts = key[CatalogPrefix.Length..^".snap".Length].Split('/');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0) return false;
        (host, name) = (parts[0], parts[1]);
        return true;
    }

    /// <summary>A garbage collection's object: its generation and whether it lists deleted (else condemned) arenas.</summary>
    public static bool TryParseGc(string key, out long generation, out bool deleted)
    {
        generation = 0;
        deleted = key.EndsWith(".deleted", StringComparison.Ordinal);
        string suffix = deleted ? ".deleted" : ".condemned";
        return key.StartsWith(GcPrefix, StringComparison.Ordinal) && key.EndsWith(suffix, StringComparison.Ordinal)
            && long.TryParse(key.AsSpan(GcPrefix.Length, key.Length - GcPrefix.Length - suffix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out generation);
    }

    // Arena numbers: each host appends in its own slot, so numbers never clash between hosts and a location names
    // one arena in the whole bucket. Slot 0 is a local store made a bucket store by `replicate` (its arenas from 0).
    public const int SlotBits = 20;
    public const uint MaxSlot = (Arenas.ArenaFormat.FirstCompactedArena >> SlotBits) - 1; // 2047
    public static uint FirstArenaOf(uint slot) => slot << SlotBits;
    public static uint SlotOf(uint arena) => arena >> SlotBits;
}
