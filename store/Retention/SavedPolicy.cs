// The retention policy saved with a store: the catalog setting StoreCatalog.RetentionPolicy holding the policy's
// text form (`timetravel policy set`). Absent or empty (`policy clear` saves ""), there is none, and nothing is
// ever removed automatically: the snapshot timer's `forget --policy` then forgets nothing.
using TimeTravel.Store.Catalog;

namespace TimeTravel.Store.Retention;

public static class SavedPolicy
{
    /// <summary>The saved policy, or null; a setting that does not read as a policy is damage, named as such.</summary>
    public static RetentionPolicy? Of(Repository repo)
    {
        if (repo.Catalog.Setting(StoreCatalog.RetentionPolicy) is not { } text || string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            var policy = RetentionPolicy.Parse(text);
            return policy.IsEmpty ? null : policy;
        }
        catch (RetentionPolicyException e)
        {
            throw new StoreFormatException(repo.Layout.Catalog, $"setting \"{StoreCatalog.RetentionPolicy}\" is not a retention policy ({e.Message}); `timetravel policy set` saves a new one");
        }
    }

    /// <summary>Saves a policy with at least one rule (a policy with none would mean "keep everything": use Clear).</summary>
    public static void Save(Repository repo, RetentionPolicy policy)
    {
        if (policy.IsEmpty) throw new RetentionPolicyException("a policy needs at least one --keep-* rule with a count other than 0 (`timetravel policy clear` removes the saved policy)");
        repo.SetRecordedSetting(StoreCatalog.RetentionPolicy, policy.ToString());
    }

    /// <summary>Removes the saved policy: the setting is kept, empty, so that the catalog's records say it was cleared.</summary>
    public static void Clear(Repository repo) => repo.SetRecordedSetting(StoreCatalog.RetentionPolicy, "");
}
