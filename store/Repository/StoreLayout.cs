// Where each part of a store lives inside the store directory.
namespace TimeTravel.Store;

public sealed class StoreLayout(string root)
{
    public string Root { get; } = Path.GetFullPath(root);
    public string Config => Path.Combine(Root, "config");
    public string Arenas => Path.Combine(Root, "arenas");
    public string Index => Path.Combine(Root, "index");
    public string Catalog => Path.Combine(Root, "catalog.db");
    public string Journal => Path.Combine(Root, "journal");
    public string Lock => Path.Combine(Root, "lock");
    public string LockOwner => Path.Combine(Root, "lock.owner");
    /// <summary>The apt hook's pre checkpoint, kept from `apt-hook pre` until `apt-hook post` pairs with it.</summary>
    public string AptHookState => Path.Combine(Root, "apt-hook.state");

    public const string DefaultRoot = "/var/lib/timetravel";
}
