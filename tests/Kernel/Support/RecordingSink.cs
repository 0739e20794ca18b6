// An IChangeSink that remembers what it was given, for tests that drive the tracker directly.
using TimeTravel.Store.Posix;
using TimeTravel.Kernel.Tracking;

namespace TimeTravel.Tests.Kernel.Support;

public sealed class RecordingSink : IChangeSink
{
    public List<ChangeRecord> Changes { get; } = [];
    public List<IncompleteNotice> Incompletes { get; } = [];

    public void Change(ChangeRecord change) => Changes.Add(change);

    public void Incomplete(string? source, string reason) => Incompletes.Add(new IncompleteNotice(source, reason));

    public bool Has(ChangeKind kind, string path) =>
        Changes.Any(c => c.Kind == kind && PathBytes.Display(c.Path) == path);

    public bool Mentions(string path) =>
        Changes.Any(c => PathBytes.Display(c.Path) == path || (c.RenamedTo is not null && PathBytes.Display(c.RenamedTo) == path));
}
