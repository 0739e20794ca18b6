// Imports FastVPS change logs into the journal. Each file is read whole first (reading a debugfs log consumes it),
// its good lines become changes, and any malformed line also becomes an Incomplete marker for all sources so the
// next snapshot walks everything: nothing is half-imported silently. The journal is flushed (fsynced) after each file.
using TimeTravel.Kernel.Journal;
using TimeTravel.Kernel.Tracking;

namespace TimeTravel.Kernel.FastVps;

public static class LogImporter
{
    public static ImportResult Import(IEnumerable<string> files, ChangeJournal journal)
    {
        int imported = 0;
        var errors = new List<FastVpsParseException>();
        foreach (var file in files)
        {
            var (lines, fileErrors) = FastVpsParser.ParseAll(file, File.ReadAllBytes(file));
            foreach (var line in lines) journal.Change(new ChangeRecord(line.Kind, line.Path));
            imported += lines.Count;
            if (fileErrors.Count > 0)
                journal.Incomplete(null, $"FastVPS log has {fileErrors.Count} malformed line(s), first {fileErrors[0].Message}");
            errors.AddRange(fileErrors);
            journal.Flush();   // per file: a consumed debugfs log must be durable before the next is read
        }
        return new ImportResult(imported, errors);
    }
}
