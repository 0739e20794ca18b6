// Catches libbpf's messages instead of letting it print them on stderr: the warnings of the calling thread are kept
// so a failed load can say why in one line (libbpf calls back on the thread that called it).
using System.Runtime.InteropServices;
using System.Text;

namespace TimeTravel.Kernel.Interop;

internal static unsafe class LibbpfLog
{
    private const int Kept = 40;
    [ThreadStatic] private static List<string>? _warnings;
    private static int _installed;

    /// <summary>Starts (or restarts) collecting this thread's libbpf warnings.</summary>
    public static void Begin()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 0) Libbpf.SetPrint(&Print);
        _warnings = [];
    }

    /// <summary>The warnings collected since <see cref="Begin"/>, oldest first (at most the last 40).</summary>
    public static IReadOnlyList<string> Warnings => _warnings ?? [];

    [UnmanagedCallersOnly]
    private static int Print(int level, nint format, nint args)
    {
        try
        {
            if (level != Libbpf.LIBBPF_WARN || _warnings is not { } warnings) return 0;
            const int size = 1024;
            byte* buffer = stackalloc byte[size];
            int n = Libbpf.VsnPrintf(buffer, size, format, args);
            if (n <= 0) return 0;
            var line = Encoding.UTF8.GetString(buffer, Math.Min(n, size - 1)).TrimEnd('\n');
            if (warnings.Count == Kept) warnings.RemoveAt(0);
            warnings.Add(line);
            return n;
        }
        catch
        {
            return 0;   // never let an exception cross into libbpf
        }
    }
}
