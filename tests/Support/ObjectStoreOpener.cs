// Tests open stores in buckets in-process as the programs do: through remote/'s ObjectStores.
using System.Runtime.CompilerServices;

namespace TimeTravel.Tests;

internal static class ObjectStoreOpener
{
    [ModuleInitializer]
    internal static void Register() => TimeTravel.Store.Bucket.BucketLink.Opener = TimeTravel.Remote.ObjectStores.Open;
}
