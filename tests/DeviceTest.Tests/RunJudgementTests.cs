using QuantEdge.DeviceTest.Running;

namespace QuantEdge.DeviceTest.Tests;

/// <summary>How tools/device-test judges the kit's tools, whose exit codes say little.</summary>
public class RunJudgementTests
{
    private const string Banner = """
        nanoFramework MetadataProcessor Utility vFile:             /kit/mdp/nanoFramework.Tools.MetadataProcessor.dll
        Copyright (c) 2019 nanoFramework project contributors

        For documentation, report issues and support visit our GitHub repo: www.github.com\nanoFramework


        """;

    [Fact]
    public void MetadataProcessor_SucceedsOnlyWithNothingAfterItsBannerAndANonEmptyPe()
    {
        string pe = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(pe, [1, 2, 3]);
            Assert.Null(MetadataProcessor.Problem(new ProcessResult(0, Banner, Banner, false), pe));
            Assert.Contains("printed after its banner", MetadataProcessor.Problem(new ProcessResult(0, Banner + "Error: unsupported\n", "", false), pe));
            Assert.Contains("banner", MetadataProcessor.Problem(new ProcessResult(0, "Unhandled exception\n", "", false), pe));
            Assert.Contains("exit code 134", MetadataProcessor.Problem(new ProcessResult(134, Banner, Banner, false), pe));
            File.WriteAllBytes(pe, []);
            Assert.Contains("empty", MetadataProcessor.Problem(new ProcessResult(0, Banner, Banner, false), pe));
            File.Delete(pe);
            Assert.Contains("no .pe", MetadataProcessor.Problem(new ProcessResult(0, Banner, Banner, false), pe));
        }
        finally
        {
            File.Delete(pe);
        }
    }

    private const string Run = "Loaded: a.pe\nReady.\r\n" +
        "Test passed,N.C.A.0,42\r\n" +
        "some output\r\n" +
        "Test failed,N.C.B.1,Assert.AreEqual failed. Expected:<1>. Actual:<2>. x, y\r\n" +
        "Test skipped,N.C.D.0,not here\r\n" +
        "Done.\r\nExiting.\r\n";

    [Fact]
    public void ResultLines_AreParsedBetweenReadyAndDone()
    {
        IReadOnlyList<string> lines = NanoClr.ProgramLines(Run);
        Assert.Equal(["Test passed,N.C.A.0,42", "some output", "Test failed,N.C.B.1,Assert.AreEqual failed. Expected:<1>. Actual:<2>. x, y", "Test skipped,N.C.D.0,not here"], lines);
        TestResult failed = TestResult.Parse(lines[2])!;
        Assert.Equal(("failed", "N.C.B.1", "Assert.AreEqual failed. Expected:<1>. Actual:<2>. x, y"), (failed.Outcome, failed.Name, failed.Detail));
        Assert.Null(TestResult.Parse("some output"));
        Assert.Null(TestResult.Parse("Test something else,x"));
    }

    [Fact]
    public void ARun_FailsOnSkippedMissingOrAbnormallyEndedTests()
    {
        IReadOnlyList<string> lines = NanoClr.ProgramLines(Run);
        TestRun run = TestRun.From("T", lines, declared: 3, abnormalEnd: null);
        Assert.Equal((1, 2, false), (run.Passed, run.Failed, run.Succeeded)); // a skipped test counts as failed

        TestRun stopped = TestRun.From("T", lines.Take(1).ToList(), declared: 3, abnormalEnd: "the program stopped");
        Assert.Equal((1, 2, false), (stopped.Passed, stopped.Failed, stopped.Succeeded));
        Assert.Contains(stopped.Problems(), p => p.Contains("1 of 3 declared tests reported"));

        TestRun allPassed = TestRun.From("T", ["Test passed,N.C.A.0,1"], declared: 1, abnormalEnd: null);
        Assert.True(allPassed.Succeeded);
        Assert.False(TestRun.From("T", [], declared: 0, abnormalEnd: null).Succeeded); // no test ran
        Assert.False(TestRun.From("T", ["Test passed,N.C.A.0,1"], declared: 1, abnormalEnd: "a crash").Succeeded);
    }

    [Fact]
    public void NanoClr_EndsNormallyOnlyWithReadyDoneAndExitCodeZero()
    {
        Assert.Null(NanoClr.AbnormalEnd(new ProcessResult(0, Run, Run, false)));
        Assert.Contains("crash", NanoClr.AbnormalEnd(new ProcessResult(139, Run, Run, false)));
        Assert.Contains("killed", NanoClr.AbnormalEnd(new ProcessResult(-1, Run, Run, true)));
        string linkFailure = "Loaded: a.pe\nLink failure: some assembly references cannot be resolved!!\nError: a3000000\n";
        Assert.Contains("never started", NanoClr.AbnormalEnd(new ProcessResult(0, linkFailure, linkFailure, false)));
        string stopped = "Ready.\r\nTest passed,N.C.A.0,1\r\n";
        Assert.Contains("before \"Done.\"", NanoClr.AbnormalEnd(new ProcessResult(0, stopped, stopped, false)));
    }
}
