// One program of an opened BPF object: its libbpf handle, its function name and its ELF section ("tp_btf/NAME").
namespace TimeTravel.Kernel.Interop;

internal readonly record struct BpfProgram(nint Handle, string Name, string Section)
{
    private const string TracepointPrefix = "tp_btf/";

    /// <summary>The tracepoint a tp_btf program attaches to; null for any other kind of program.</summary>
    public string? Tracepoint => Section.StartsWith(TracepointPrefix, StringComparison.Ordinal) ? Section[TracepointPrefix.Length..] : null;
}
