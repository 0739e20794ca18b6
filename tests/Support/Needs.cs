// Traits that say what a test needs from the machine, so the pure tests can be run alone in seconds:
//   dotnet test --filter "Needs!=root&Needs!=fuse&Needs!=fanotify&Needs!=bpf&Needs!=ceph"
// Each attribute adds the trait Needs=<what>; a test may carry several.
using Xunit.Abstractions;
using Xunit.Sdk;

namespace TimeTravel.Tests;

/// <summary>Runs as root: creates users, chowns, mounts, loop devices.</summary>
[TraitDiscoverer(NeedsDiscoverer.TypeName, NeedsDiscoverer.AssemblyName)]
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true)]
public sealed class NeedsRootAttribute : Attribute, ITraitAttribute;

/// <summary>Mounts a FUSE filesystem (/dev/fuse, fusermount3).</summary>
[TraitDiscoverer(NeedsDiscoverer.TypeName, NeedsDiscoverer.AssemblyName)]
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true)]
public sealed class NeedsFuseAttribute : Attribute, ITraitAttribute;

/// <summary>Runs the fanotify tracker (CAP_SYS_ADMIN, FAN_MARK_FILESYSTEM).</summary>
[TraitDiscoverer(NeedsDiscoverer.TypeName, NeedsDiscoverer.AssemblyName)]
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true)]
public sealed class NeedsFanotifyAttribute : Attribute, ITraitAttribute;

/// <summary>Loads eBPF programs (CAP_BPF, kernel BTF, clang-built object): the range tracker.</summary>
[TraitDiscoverer(NeedsDiscoverer.TypeName, NeedsDiscoverer.AssemblyName)]
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true)]
public sealed class NeedsBpfAttribute : Attribute, ITraitAttribute;

/// <summary>Runs a single-node Ceph with its S3 gateway on 127.0.0.1 (ceph-mon, ceph-osd, radosgw; see CephGateway).</summary>
[TraitDiscoverer(NeedsDiscoverer.TypeName, NeedsDiscoverer.AssemblyName)]
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true)]
public sealed class NeedsCephAttribute : Attribute, ITraitAttribute;

/// <summary>The discoverer behind the Needs* attributes: the trait's value is the attribute's name.</summary>
public sealed class NeedsDiscoverer : ITraitDiscoverer
{
    public const string TypeName = "TimeTravel.Tests.NeedsDiscoverer";
    public const string AssemblyName = "TimeTravel.Tests";

    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute)
    {
        var name = traitAttribute is IReflectionAttributeInfo reflected
            ? reflected.Attribute.GetType().Name
            : "unknown";
        var what = name.Replace("Needs", "").Replace("Attribute", "").ToLowerInvariant();
        yield return new KeyValuePair<string, string>("Needs", what);
    }
}
