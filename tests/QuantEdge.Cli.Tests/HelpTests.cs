using System.CommandLine;

namespace QuantEdge.Cli.Tests;

public class HelpTests
{
    private static string[] CommandNames() => Program.CreateRoot(new CliContext(TextWriter.Null, TextWriter.Null, false)).Subcommands.Select(c => c.Name).ToArray();

    public static TheoryData<string> Commands() => new(CommandNames());

    [Fact]
    public void EveryContractCommandExists() =>
        Assert.Equal(["quantize", "eval", "run", "inspect", "train", "export", "simulate", "demo", "node"], CommandNames());

    [Theory]
    [MemberData(nameof(Commands))]
    public void HelpExplainsEveryOptionWithAnExample(string name)
    {
        Command command = Program.CreateRoot(new CliContext(TextWriter.Null, TextWriter.Null, false)).Subcommands.Single(c => c.Name == name);
        CliResult help = Cli.Ok(name, "--help");
        Assert.Contains("Example:", help.Out);
        Assert.Contains($"quantedge {name}", help.Out);
        Assert.All(command.Options.Where(o => o.Name != "--help"), option => Assert.Contains(option.Name, help.Out));
        Assert.All(command.Arguments, argument => Assert.Contains(argument.Name, help.Out));
    }

    [Fact]
    public void NoArgumentsShowsTheCommands()
    {
        CliResult result = Cli.Ok();
        Assert.All(CommandNames(), name => Assert.Contains(name, result.Out));
        Assert.Contains("Exit codes", result.Out);
    }

    [Fact]
    public void AMissingRequiredOptionIsOneLineAndExitTwo()
    {
        CliResult result = Cli.Run("quantize", "model.onnx", "--calibration", "data.csv");
        Assert.Equal(2, result.Exit);
        Assert.Single(result.ErrLines);
        Assert.Contains("--out", result.Err);
        Assert.Contains("quantedge quantize --help", result.Err);
    }

    [Fact]
    public void AnUnknownMethodIsOneLineAndExitTwo()
    {
        CliResult result = Cli.Run("quantize", "model.onnx", "--calibration", "data.csv", "--out", "m.qem", "--method", "median");
        Assert.Equal(2, result.Exit);
        Assert.Single(result.ErrLines);
        Assert.Contains("median", result.Err);
    }
}
