// `timetravel apt-hook pre|post [--wait SECONDS] [--log FILE]`: the package manager hook (AptHook/AptHook.cs). It
// always exits 0, whatever happened: a hook must never stop apt or dpkg.
using System.CommandLine;
using TimeTravel.Cli.Apt;

namespace TimeTravel.Cli.Commands;

public static class AptHookCommand
{
    public static Command Create()
    {
        // A plain string, checked by the hook: a wrong word is logged, never a parse error with a failing status.
        var phase = new Argument<string>("phase") { Description = "pre (before dpkg runs: a pinned checkpoint) or post (after it: a snapshot paired with it)" };
        var wait = new Option<double>("--wait")
        {
            Description = "Seconds to wait for the store while another writer holds it, then give up (default 60)",
            DefaultValueFactory = _ => 60,
        };
        var logFile = new Option<string>("--log")
        {
            Description = $"Also append what the hook did to this file (default {HookLog.DefaultFile}; '' for none)",
            DefaultValueFactory = _ => HookLog.DefaultFile,
        };
        var cmd = new Command("apt-hook", "Run by APT and dpkg around each package transaction: pre checkpoint, post snapshot; never fails") { phase, wait, logFile };
        cmd.SetAction(r =>
        {
            string? file = r.GetValue(logFile) is { Length: > 0 } f ? f : null;
            double seconds = r.GetValue(wait);
            return AptHook.Run(new AptHookOptions(CommonOptions.StoreRoot(r), r.GetValue(phase) ?? "",
                file, TimeSpan.FromSeconds(double.IsFinite(seconds) && seconds >= 0 ? Math.Min(seconds, 3600) : 60), DpkgLog.DefaultPath));
        });
        return cmd;
    }
}
