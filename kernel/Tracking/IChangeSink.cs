// Where a change producer (the fanotify tracker, the FastVPS importer) delivers what it saw; the journal is one.
namespace TimeTravel.Kernel.Tracking;

public interface IChangeSink
{
    void Change(ChangeRecord change);

    /// <summary>Some changes may have been missed. <paramref name="source"/> is a source root, or null for all sources.</summary>
    void Incomplete(string? source, string reason);
}
