// Many reasons in few words. The journal can hold thousands of Incomplete markers that differ only in a path or a
// time ("a file with 2 hard links changed outside the sources (/a/b)"), and one snapshot's reason ran to 2.3 KB
// repeating them. Reasons that differ only in one path are told once, with the first few paths and how many more;
// the same reason repeated is told once with its count, its times dropped.
using System.Globalization;
using System.Text.RegularExpressions;

namespace TimeTravel.Kernel.Planning;

public static partial class ReasonSummary
{
    /// <summary>How many paths of a group are named before "and N more".</summary>
    public const int Examples = 3;

    [GeneratedRegex(@" \(at [^()]*\)$")]
    private static partial Regex TimeSuffix();

    // An absolute path in a message: a slash at the start, after a space or an opening parenthesis, up to a space,
    // a separator or a parenthesis. Good enough for grouping; a path with a space in it only groups less.
    [GeneratedRegex(@"(?<=^|[\s(])/[^\s;,()]*")]
    private static partial Regex PathToken();

    private sealed record Group(string[] Pieces, List<string> Originals, List<string> Bare, List<string[]> Paths);

    /// <summary>The reasons, in their first order, grouped and joined with "; "; "" for none.</summary>
    public static string Summarise(IEnumerable<string> reasons)
    {
        var groups = new Dictionary<string, Group>();
        var order = new List<Group>();
        foreach (var reason in reasons)
        {
            string bare = TimeSuffix().Replace(reason, "");
            var paths = PathToken().Matches(bare).Select(m => m.Value).ToArray();
            string template = PathToken().Replace(bare, "\0");
            if (!groups.TryGetValue(template, out var group))
            {
                groups[template] = group = new Group(template.Split('\0'), [], [], []);
                order.Add(group);
            }
            group.Originals.Add(reason);
            group.Bare.Add(bare);
            group.Paths.Add(paths);
        }
        return string.Join("; ", order.Select(Describe));
    }

    private static string Describe(Group g)
    {
        var distinct = g.Bare.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count == 1)
            return g.Originals.Count == 1 ? g.Originals[0] : $"{distinct[0]} ({Count(g.Originals.Count)} times)";
        int slots = g.Paths[0].Length;
        var varying = Enumerable.Range(0, slots).Where(i => g.Paths.Select(p => p[i]).Distinct(StringComparer.Ordinal).Skip(1).Any()).ToList();
        if (varying.Count != 1) return $"{distinct[0]} (and {Count(distinct.Count - 1)} more like it)";
        int slot = varying[0];
        var values = g.Paths.Select(p => p[slot]).Distinct(StringComparer.Ordinal).ToList();
        string list = string.Join(", ", values.Take(Examples)) + (values.Count > Examples ? $" and {Count(values.Count - Examples)} more" : "");
        var text = new System.Text.StringBuilder(g.Pieces[0]);
        for (int i = 0; i < slots; i++) text.Append(i == slot ? list : g.Paths[0][i]).Append(g.Pieces[i + 1]);
        return text.ToString();
    }

    private static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
