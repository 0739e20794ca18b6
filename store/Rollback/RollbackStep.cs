// One path of a rollback: what is done there (or, in a dry run, would be) and why. Action is one of the constants;
// Why says what differs between the live file and the snapshot ("content changed", "mode 0755 -> 0644").
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;

namespace TimeTravel.Store.Rollback;

public sealed class RollbackStep(byte[] path, string action, string why)
{
    public const string Create = "create", Replace = "replace", Metadata = "metadata", Remove = "remove",
        Unchanged = "unchanged", Failed = "failed";

    public byte[] Path { get; } = path;
    public string Action { get; internal set; } = action;
    public string Why { get; internal set; } = why;
    /// <summary>What the path held in the snapshot rolled back to; null for a removal.</summary>
    public Node? Target { get; init; }
    /// <summary>For a failed step, what went wrong; for a live-system file, what holds it.</summary>
    public string? Detail { get; internal set; }
    /// <summary>Running processes hold this file (mapped or executed), or it belongs to the running kernel.</summary>
    public string? HeldBy { get; internal set; }

    public string Shown => PathBytes.Display(Path);

    internal void Fail(string detail)
    {
        Action = Failed;
        Detail = detail.StartsWith(Shown + ":", StringComparison.Ordinal) ? detail : $"{Shown}: {detail}";
    }

    public override string ToString() => $"{Action} {Shown} ({Why}){(Detail is null ? "" : ": " + Detail)}";
}
