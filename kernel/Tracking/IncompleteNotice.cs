// "Changes under this source (null: all sources) may be missing, because of this reason."
namespace TimeTravel.Kernel.Tracking;

public sealed record IncompleteNotice(string? Source, string Reason);
