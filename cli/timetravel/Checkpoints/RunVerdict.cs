// What `checkpoint --run` does once the command has finished, decided from its exit status, the flags and whether
// someone can be asked. Each flag settles the case it names without a question:
//   --keep-if-success      exit 0: keep; any other status: roll back. Never asks.
//   --rollback-on-failure  any status but 0: roll back; exit 0: asked like without flags (a person may still dislike
//                          what a successful command changed); with no terminal to ask on, kept.
//   neither                asked on a terminal; with no terminal, kept (and said so): nothing is undone unasked.
namespace TimeTravel.Cli.Checkpoints;

public enum RunOutcome { Keep, RollBack, Ask }

public static class RunVerdict
{
    public static (RunOutcome Outcome, string Why) Decide(int exitCode, bool keepIfSuccess, bool rollbackOnFailure, bool canAsk)
    {
        bool ok = exitCode == 0;
        if (keepIfSuccess) return ok ? (RunOutcome.Keep, "the command succeeded (--keep-if-success)") : (RunOutcome.RollBack, $"the command failed with status {exitCode} (--keep-if-success)");
        if (rollbackOnFailure && !ok) return (RunOutcome.RollBack, $"the command failed with status {exitCode} (--rollback-on-failure)");
        if (canAsk) return (RunOutcome.Ask, "");
        return (RunOutcome.Keep, "no terminal to ask on; kept (--keep-if-success or --rollback-on-failure decide without asking)");
    }

    /// <summary>Reads an answer to "keep or roll back? [k/r]": k/keep or r/rollback/roll back, any case; null: ask again.</summary>
    public static RunOutcome? ParseAnswer(string? line) => line?.Trim().ToLowerInvariant() switch
    {
        "k" or "keep" => RunOutcome.Keep,
        "r" or "rollback" or "roll back" => RunOutcome.RollBack,
        _ => null,
    };
}
