// timetravel(8), yesterday(1) and the bash completion name every subcommand and every option the code defines:
// the lists are read from the commands themselves (each Commands/*Command.Create*()), so a new option without a
// line in the man page, or without a completion, fails here by name. Hidden options are exempt.
using System.CommandLine;
using System.Reflection;
using System.Text.RegularExpressions;
using TimeTravel.Tests.Cli.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.History;

public class DocumentationTests
{
    private static readonly string Docs = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../docs"));

    // The man page as text: font escapes dropped, \- read as -.
    private static string Man(string page) =>
        Regex.Replace(File.ReadAllText(Path.Combine(Docs, "man", page)), @"\\f[BIRP]", "").Replace("\\-", "-");

    /// <summary>Every subcommand (as "index rebuild" for nested ones) with its visible options' names and aliases.</summary>
    public static IEnumerable<(string Command, string[] Options)> TimetravelCommands()
    {
        var assembly = typeof(TimeTravel.Cli.Commands.CommonOptions).Assembly;
        var creators = assembly.GetTypes()
            .Where(t => t.Namespace == "TimeTravel.Cli.Commands")
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(m => m.ReturnType == typeof(Command) && m.GetParameters().Length == 0);
        foreach (var create in creators)
            foreach (var c in Walk((Command)create.Invoke(null, null)!, ""))
                yield return c;
    }

    private static IEnumerable<(string, string[])> Walk(Command c, string prefix)
    {
        string name = prefix + c.Name;
        yield return (name, c.Options.Where(o => !o.Hidden).SelectMany(o => new[] { o.Name }.Concat(o.Aliases)).ToArray());
        foreach (var sub in c.Subcommands)
            foreach (var x in Walk(sub, name + " ")) yield return x;
    }

    [Fact]
    public void TheCommandListIsReadFromTheCode()
    {
        var names = TimetravelCommands().Select(c => c.Command).ToList();
        Assert.Contains("restore", names);
        Assert.Contains("index rebuild", names);
        Assert.Contains(TimetravelCommands(), c => c.Command == "restore" && c.Options.Contains("--if-different") && c.Options.Contains("-n"));
    }

    [Fact]
    public void TimetravelManPageDescribesEverySubcommandAndOption()
    {
        string man = Man("timetravel.8");
        var missing = new List<string>();
        foreach (var (command, options) in TimetravelCommands())
        {
            if (!Regex.IsMatch(man, $@"^\.TP\n(\.B )?{Regex.Escape(command)}\b", RegexOptions.Multiline)) missing.Add($"{command} (no .TP item)");
            foreach (var o in options)
                if (!Regex.IsMatch(man, $@"(?<![\w-]){Regex.Escape(o)}(?![\w-])")) missing.Add($"{command} {o}");
        }
        foreach (var global in new[] { "--store", "-s", "--help", "--version", "TIMETRAVEL_STORE", ".history", "mount.timetravel(8)", "yesterday(1)",
                     "/var/lib/timetravel /backup/.snapshot timetravel defaults,nofail 0 0", "EXIT STATUS", "ENVIRONMENT", "FILES", "SEE ALSO" })
            if (!man.Contains(global)) missing.Add(global);
        Assert.True(missing.Count == 0, "timetravel.8 lacks: " + string.Join(", ", missing));
    }

    [Fact]
    public void CompletionOffersEveryLongOptionOfEverySubcommand()
    {
        string script = File.ReadAllText(Path.Combine(Docs, "completion/timetravel.bash"));
        var missing = new List<string>();
        foreach (var (command, options) in TimetravelCommands())
        {
            string top = command.Split(' ')[0];
            if (!Regex.IsMatch(script, $@"commands=""[^""]*\b{Regex.Escape(top)}\b")) missing.Add(top);
            var line = Regex.Match(script, $@"^\s*(?:[\w-]+\|)*{Regex.Escape(top)}(?:\|[\w-]+)*\) opts=""([^""]*)""", RegexOptions.Multiline);
            foreach (var o in options.Where(o => o.StartsWith("--")))
                if (!line.Success || !line.Groups[1].Value.Split(' ').Contains(o)) missing.Add($"{command} {o}");
        }
        Assert.True(missing.Count == 0, "timetravel.bash lacks: " + string.Join(", ", missing));
    }

    [Fact]
    public void YesterdayManPageAndCompletionCoverEveryOptionItsHelpLists()
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "yesterday.dll"), "--help"]) { RedirectStandardOutput = true };
        using var p = System.Diagnostics.Process.Start(psi)!;
        string help = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var options = Regex.Matches(help, @"^\s+(-[^\s,]+(?:, -[^\s,]+)*)", RegexOptions.Multiline)
            .SelectMany(m => m.Groups[1].Value.Split(", ")).Where(o => o is not ("-?" or "--version" or "--date")).ToList();
        Assert.Contains("--no-backup", options);
        string man = Man("yesterday.1");
        string script = File.ReadAllText(Path.Combine(Docs, "completion/timetravel.bash"));
        var yesterdayWords = Regex.Match(script, @"_yesterday\(\) \{.*?compgen -W ""([^""]*)""", RegexOptions.Singleline).Groups[1].Value.Split(' ');
        var missing = options.Where(o => !Regex.IsMatch(man, $@"(?<![\w-]){Regex.Escape(o)}(?![\w-])")).Select(o => "yesterday.1 " + o)
            .Concat(options.Where(o => o != "-h" && o != "-s" && !yesterdayWords.Contains(o)).Select(o => "completion " + o)).ToList();
        Assert.True(missing.Count == 0, "missing: " + string.Join(", ", missing));
    }
}
