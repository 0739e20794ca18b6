// Whether a snapshot reads its sources from a consistent view (`snapshot --consistent auto|off`) and how long it may
// keep a filesystem frozen for it (`--freeze-limit`). See ConsistentRead for what auto does on which filesystem.
using TimeTravel.Store;

namespace TimeTravel.Kernel.Consistency;

public enum ConsistencyMode { Auto, Off }

/// <param name="Mode">Auto: a btrfs snapshot wherever a source lies on btrfs, a freeze of ext4 and xfs where allowed; off: read live.</param>
/// <param name="FreezeLimit">The longest a filesystem stays frozen: a read estimated longer is not frozen, and a watchdog thaws at this limit.</param>
public sealed record ConsistencyPolicy(ConsistencyMode Mode, TimeSpan FreezeLimit)
{
    public static readonly TimeSpan DefaultFreezeLimit = TimeSpan.FromSeconds(2);
    public static readonly ConsistencyPolicy Default = new(ConsistencyMode.Auto, DefaultFreezeLimit);

    /// <summary>`--consistent` and `--freeze-limit` as typed; StoreException naming the option when either is not understood.</summary>
    public static ConsistencyPolicy Parse(string mode, string freezeLimit)
    {
        var m = mode.Trim() switch
        {
            "auto" => ConsistencyMode.Auto,
            "off" => ConsistencyMode.Off,
            _ => throw new StoreException($"--consistent {mode}: expected auto or off"),
        };
        return new ConsistencyPolicy(m, ParseLimit(freezeLimit));
    }

    // "2s", "500ms", "0.5s": a freeze is meant to last seconds, so minutes are refused as a likely mistake.
    private static TimeSpan ParseLimit(string text)
    {
        var t = text.Trim();
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        const System.Globalization.NumberStyles style = System.Globalization.NumberStyles.Float;
        TimeSpan? limit = t.EndsWith("ms", StringComparison.Ordinal) && double.TryParse(t[..^2], style, inv, out double ms) ? TimeSpan.FromMilliseconds(ms)
            : t.EndsWith('s') && double.TryParse(t[..^1], style, inv, out double s) ? TimeSpan.FromSeconds(s)
            : null;
        if (limit is not { } l || l <= TimeSpan.Zero || l > TimeSpan.FromSeconds(60))
            throw new StoreException($"--freeze-limit {text}: expected a duration in s or ms above 0 and at most 60s (e.g. 2s, 500ms)");
        return l;
    }
}
