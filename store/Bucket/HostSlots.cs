// Each host that writes into a bucket store registers once (hosts/HOST) and gets an arena slot of its own, so the
// arena numbers of different hosts never clash and no host ever needs a lock to append. Slot 0 is for a local store
// made a bucket store by `replicate` (its arenas are numbered from 0); hosts that start in the bucket take 1 up.
using System.Globalization;
using System.Text;
using TimeTravel.Store.Objects;

namespace TimeTravel.Store.Bucket;

public static class HostSlots
{
    private const string Signature = "timetravel-host 1";

    public static uint? SlotOf(IObjectStore objects, string host)
    {
        try { return Parse(objects.Get(BucketKeys.Host(host)), $"{objects.Location}/{BucketKeys.Host(host)}"); }
        catch (ObjectNotFoundException) { return null; }
    }

    /// <summary>Every registered host and its slot (one LIST, a GET each).</summary>
    public static Dictionary<string, uint> All(IObjectStore objects) =>
        objects.List(BucketKeys.HostsPrefix).ToDictionary(o => o.Key[BucketKeys.HostsPrefix.Length..],
            o => Parse(objects.Get(o.Key), $"{objects.Location}/{o.Key}"));

    /// <summary>
    /// The host's slot: its registration when it has one (a host recovering on a new machine keeps its arenas),
    /// else the lowest free slot (from 1; `wanted` 0 for replicate). Two hosts registering at once may pick the same
    /// slot: each reads the registrations back after writing its own, and the later name in order gives way.
    /// </summary>
    public static uint Register(IObjectStore objects, string host, uint? wanted = null)
    {
        Naming.HostNames.Check(host, "host name");
        if (SlotOf(objects, host) is { } known)
        {
            if (wanted is { } w && w != known)
                throw new StoreException($"{objects.Location}: host {host} is registered with arena slot {known}, not {w}; give another --host name");
            return known;
        }
        for (int attempt = 0; attempt < 16; attempt++)
        {
            var used = All(objects).Values.ToHashSet();
            uint slot = wanted ?? Enumerable.Range(1, (int)BucketKeys.MaxSlot).Select(i => (uint)i).FirstOrDefault(i => !used.Contains(i));
            if (slot == 0 && wanted is null) throw new StoreException($"{objects.Location}: every arena slot is taken ({BucketKeys.MaxSlot} hosts)");
            if (wanted is not null && used.Contains(slot))
                throw new StoreException($"{objects.Location}: arena slot {slot} is another host's; this store cannot be replicated into that bucket prefix (use another prefix)");
            objects.Put(BucketKeys.Host(host), Encoding.ASCII.GetBytes($"{Signature}\nslot {slot}\n"));
            var clash = All(objects).Where(kv => kv.Value == slot && kv.Key != host).Select(kv => kv.Key).ToList();
            if (clash.Count == 0 || clash.All(other => string.CompareOrdinal(host, other) < 0)) return slot;
            objects.Delete(BucketKeys.Host(host)); // the other registration keeps the slot
        }
        throw new StoreException($"{objects.Location}: could not register host {host} (other hosts kept registering at the same time); try again");
    }

    private static uint Parse(byte[] bytes, string where)
    {
        var lines = Encoding.ASCII.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length >= 2 && lines[0] == Signature && lines[1].StartsWith("slot ", StringComparison.Ordinal)
            && uint.TryParse(lines[1].AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out uint slot) && slot <= BucketKeys.MaxSlot)
            return slot;
        throw new StoreFormatException(where, "not a host registration (damaged or foreign object)");
    }
}
