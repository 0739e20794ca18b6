// Imports FastVPS change logs into the journal as one import run (see LogImported): a "begun" record is made durable
// before the first file is read, a "finished" one (complete or not) after the last. Each file is read whole first
// (reading a debugfs log consumes it), its good lines become changes, paths the tracker would drop (outside the
// sources, excluded, the store) are dropped here too, and a malformed line or an unreadable file also becomes an
// Incomplete marker for all sources, so the next snapshot walks everything: nothing is half-imported silently. The
// other files are still imported. The journal is flushed (fsynced) after each file.
using TimeTravel.Kernel.Journal;
using TimeTravel.Kernel.Tracking;

namespace TimeTravel.Kernel.FastVps;

public static class LogImporter
{
    /// <param name="keep">True for a path the journal should hold; null keeps every path.</param>
    /// <param name="sources">The sources (with exclude fingerprints) <paramref name="keep"/> filters by, for the record.</param>
    public static ImportResult Import(IReadOnlyList<string> files, ChangeJournal journal, Func<byte[], bool>? keep = null,
        IReadOnlyList<WatchedSource>? sources = null)
    {
        ulong run = (ulong)Random.Shared.NextInt64(1, long.MaxValue);
        sources ??= [];
        journal.WriteImport(new LogImported(DateTimeOffset.UtcNow, run, Finished: false, Complete: false, files, sources));
        journal.Flush();

        int imported = 0, dropped = 0;
        var errors = new List<string>();
        foreach (var file in files)
        {
            byte[] content;
            try { content = File.ReadAllBytes(file); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add($"{file}: cannot read: {e.Message}");
                journal.Incomplete(null, $"FastVPS log {file} could not be read: {e.Message}");
                journal.Flush();
                continue;
            }
            var (lines, fileErrors) = FastVpsParser.ParseAll(file, content);
            foreach (var line in lines)
            {
                if (keep is not null && !keep(line.Path)) { dropped++; continue; }
                journal.Change(new ChangeRecord(line.Kind, line.Path));
                imported++;
            }
            if (fileErrors.Count > 0)
                journal.Incomplete(null, $"FastVPS log has {fileErrors.Count} malformed line(s), first {fileErrors[0].Message}");
            errors.AddRange(fileErrors.Select(e => e.Message));
            journal.Flush();   // per file: a consumed debugfs log must be durable before the next is read
        }
        journal.WriteImport(new LogImported(DateTimeOffset.UtcNow, run, Finished: true, Complete: errors.Count == 0, files, sources));
        journal.Flush();
        return new ImportResult(imported, dropped, errors);
    }
}
