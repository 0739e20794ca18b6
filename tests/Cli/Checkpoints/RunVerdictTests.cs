// What `checkpoint --run` decides after the command: each flag settles the case it names without asking, the rest is
// asked on a terminal and kept without one.
using TimeTravel.Cli.Checkpoints;
using Xunit;

namespace TimeTravel.Tests.Cli.Checkpoints;

public class RunVerdictTests
{
    [Theory]
    [InlineData(0, true, false, true, RunOutcome.Keep)]
    [InlineData(2, true, false, true, RunOutcome.RollBack)]
    [InlineData(2, true, false, false, RunOutcome.RollBack)]
    [InlineData(0, false, true, true, RunOutcome.Ask)]      // --rollback-on-failure asks after a success: the difference from --keep-if-success
    [InlineData(0, false, true, false, RunOutcome.Keep)]
    [InlineData(1, false, true, true, RunOutcome.RollBack)]
    [InlineData(1, false, false, true, RunOutcome.Ask)]
    [InlineData(1, false, false, false, RunOutcome.Keep)]   // no terminal, no flag: nothing is undone unasked
    [InlineData(0, true, true, true, RunOutcome.Keep)]
    [InlineData(9, true, true, false, RunOutcome.RollBack)]
    public void EachFlagDecidesTheCaseItNamesAndTheRestIsAskedOrKept(int status, bool keepIfSuccess, bool rollbackOnFailure, bool canAsk, RunOutcome expected)
    {
        Assert.Equal(expected, RunVerdict.Decide(status, keepIfSuccess, rollbackOnFailure, canAsk).Outcome);
    }

    [Fact]
    public void KeepingWithoutATerminalSaysWhyAndWhichFlagsDecide()
    {
        var (_, why) = RunVerdict.Decide(3, false, false, canAsk: false);
        Assert.Contains("no terminal", why);
        Assert.Contains("--rollback-on-failure", why);
    }

    [Theory]
    [InlineData("k", RunOutcome.Keep)]
    [InlineData(" Keep\n", RunOutcome.Keep)]
    [InlineData("r", RunOutcome.RollBack)]
    [InlineData("ROLLBACK", RunOutcome.RollBack)]
    [InlineData("roll back", RunOutcome.RollBack)]
    [InlineData("", null)]
    [InlineData("yes", null)]
    [InlineData(null, null)]
    public void AnswersAreKeepOrRollBackAndAnythingElseIsAskedAgain(string? line, RunOutcome? expected)
    {
        Assert.Equal(expected, RunVerdict.ParseAnswer(line));
    }
}
