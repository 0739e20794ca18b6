// Why the BPF range tracker cannot run on this machine, in one line (no BTF, object missing or refused by the
// verifier, a required tracepoint missing, an attach refused): the tracker then runs file-level only and says so.
namespace TimeTravel.Kernel.Ranges;

public sealed class BpfUnavailableException(string reason) : Exception(reason);
