// Real unprivileged users and groups for permission tests, made with useradd/groupadd the first time a test asks
// (system accounts, no home, no login) and left in place: each area names its own (tt-hist1, ...), and a name that
// already exists is used as it is. Commands run as a user through setpriv with exactly the groups given.
namespace TimeTravel.Tests;

public static class TestUsers
{
    private static readonly object Lock = new();

    /// <summary>The uid and primary gid of user `name`, created first if missing.</summary>
    public static (uint Uid, uint Gid) User(string name)
    {
        lock (Lock)
        {
            if (Id(name, "-u") is null) Add("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "--user-group", name);
            return (Id(name, "-u") ?? throw new InvalidOperationException($"no user {name}"), Id(name, "-g")!.Value);
        }
    }

    /// <summary>The gid of group `name`, created first if missing.</summary>
    public static uint Group(string name)
    {
        lock (Lock)
        {
            if (GroupId(name) is null) Add("groupadd", "--system", name);
            return GroupId(name) ?? throw new InvalidOperationException($"no group {name}");
        }
    }

    /// <summary>The setpriv prefix that runs a command as `uid`:`gid` with exactly the supplementary `groups`.</summary>
    public static string[] As(uint uid, uint gid, params uint[] groups) =>
        ["setpriv", $"--reuid={uid}", $"--regid={gid}", groups.Length == 0 ? "--clear-groups" : $"--groups={string.Join(',', groups)}"];

    private static uint? Id(string name, string what)
    {
        var (code, output) = Run("id", what, name);
        return code == 0 ? uint.Parse(output.Trim()) : null;
    }

    private static uint? GroupId(string name)
    {
        var (code, output) = Run("getent", "group", name);
        return code == 0 ? uint.Parse(output.Split(':')[2]) : null;
    }

    // Another test process may have made it meanwhile (exit code 9: already exists).
    private static void Add(string tool, params string[] args)
    {
        var (code, output) = Run(tool, args);
        if (code is not (0 or 9)) throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited {code}: {output}");
    }

    private static (int Code, string Output) Run(string file, params string[] args)
    {
        var (code, output, err) = Shell.Try(file, args);
        return (code, output + err);
    }
}
