// Finishes or undoes a collection that was killed, from its state file (CollectionState). The caller holds gc.lock.
// Copy first, switch the index, delete last: before the switch nothing names the new compacted arenas and segments,
// so they are deleted; after it (the manifest's gc generation has reached the collection's) the victims and the
// replaced segments are deleted. Either way every kept snapshot is whole throughout.
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Index;

namespace TimeTravel.Store.Collection;

public static class CollectionRecovery
{
    /// <summary>Recovers when the state says a collection was under way; returns what it did, or null when nothing.</summary>
    public static string? Recover(StoreLayout layout)
    {
        var state = CollectionState.Load(layout);
        var arenas = new ArenaSet(layout.Arenas);
        uint next = Math.Max(state.NextArena, NextFreeCompacted(arenas));
        string? did = null;
        if (state.Phase != CollectionPhase.Idle)
        {
            var manifest = IndexManifest.Load(layout.Index);
            bool switched = state.Phase == CollectionPhase.Switching && manifest.GcGeneration >= state.Generation;
            if (switched)
            {
                int deleted = 0;
                foreach (uint v in state.Victims) if (Delete(arenas.PathOf(v))) deleted++;
                foreach (var s in state.ReplacedSegments)
                    if (!manifest.Segments.Contains(s)) Delete(Path.Combine(layout.Index, s));
                did = $"finished the interrupted gc {state.Generation}: its new index was in place; deleted {deleted} rewritten arenas";
            }
            else
            {
                int deleted = 0;
                foreach (uint n in arenas.List().Where(n => ArenaFormat.IsCompacted(n) && n >= state.FirstNewArena))
                    if (Delete(arenas.PathOf(n))) deleted++;
                foreach (var s in state.NewSegments)
                    if (!manifest.Segments.Contains(s)) Delete(Path.Combine(layout.Index, s));
                did = $"undid the interrupted gc {state.Generation}: it had not switched the index; removed the {deleted} arenas it was writing";
            }
            Posix.PosixFs.FsyncDirectory(layout.Arenas);
        }
        CleanWorkFiles(layout);
        if (state.Phase != CollectionPhase.Idle || next != state.NextArena)
            (state with { Phase = CollectionPhase.Idle, NextArena = next, Victims = [], NewSegments = [], ReplacedSegments = [] }).Save(layout);
        return did;
    }

    /// <summary>Whether a compacted arena belongs to a collection that has not switched the index (a reader's view).</summary>
    public static Func<uint, bool> UnfinishedArenas(StoreLayout layout, IndexManifest manifest)
    {
        CollectionState state;
        try { state = CollectionState.Load(layout); }
        catch (StoreFormatException) { return _ => false; }
        if (state.Phase == CollectionPhase.Idle || manifest.GcGeneration >= state.Generation) return _ => false;
        return n => ArenaFormat.IsCompacted(n) && n >= state.FirstNewArena;
    }

    /// <summary>The number after every compacted arena on disk.</summary>
    public static uint NextFreeCompacted(ArenaSet arenas)
    {
        uint next = ArenaFormat.FirstCompactedArena;
        foreach (uint n in arenas.List()) if (ArenaFormat.IsCompacted(n) && n >= next) next = n + 1;
        return next;
    }

    /// <summary>Work files of a collection (relocation runs, segments not yet installed, temporary files).</summary>
    public static void CleanWorkFiles(StoreLayout layout)
    {
        string dir = CollectionState.DirectoryOf(layout);
        if (!Directory.Exists(dir)) return;
        foreach (var f in Directory.EnumerateFiles(dir))
            if (f.EndsWith(".tti", StringComparison.Ordinal) || f.EndsWith(".tmp", StringComparison.Ordinal)) Delete(f);
    }

    private static bool Delete(string path)
    {
        if (!File.Exists(path)) return false;
        File.Delete(path);
        return true;
    }
}
