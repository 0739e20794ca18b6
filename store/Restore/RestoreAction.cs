// What a restore did (or, in a dry run, would do) at one path. Kind is one of the constants below; Detail says
// why for skip and failed, and where a removed entry was kept.
namespace TimeTravel.Store.Restore;

public sealed record RestoreAction(string Kind /* create|replace|remove|unchanged|skip|failed */, string Path)
{
    public const string Create = "create", Replace = "replace", Remove = "remove", Unchanged = "unchanged", Skip = "skip", Failed = "failed";

    public string? Detail { get; init; }
}
