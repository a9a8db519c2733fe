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

    /// <summary>Every command and subcommand with the words that reach it ("node", "pack").</summary>
    public static IEnumerable<(string[] Path, Command Command)> AllCommands()
    {
        RootCommand root = Program.CreateRoot(new CliContext(TextWriter.Null, TextWriter.Null, false));
        foreach (Command command in root.Subcommands)
        {
            yield return ([command.Name], command);
            foreach (Command sub in command.Subcommands)
            {
                yield return ([command.Name, sub.Name], sub);
            }
        }
    }

    [Fact]
    public void EveryDefaultTheHelpShowsIsAccepted()
    {
        var checkedOptions = new List<string>();
        foreach ((string[] path, Command command) in AllCommands())
        {
            foreach (Option option in command.Options.Where(o => o.HasDefaultValue && o.ValueType != typeof(bool)))
            {
                string shown = Convert.ToString(option.GetDefaultValue(), System.Globalization.CultureInfo.InvariantCulture)!;
                CliResult help = Cli.Ok([.. path, "--help"]);
                Assert.Contains($"[default: {shown}]", help.Out);
                ParseResult parse = Program.CreateRoot(new CliContext(TextWriter.Null, TextWriter.Null, false)).Parse([.. path, option.Name, shown]);
                Assert.DoesNotContain(parse.Errors, e => e.Message.Contains(option.Name, StringComparison.Ordinal) || e.Message.Contains($"'{shown}'", StringComparison.Ordinal));
                checkedOptions.Add($"{string.Join(' ', path)} {option.Name}");
            }
        }

        Assert.Contains("quantize --method", checkedOptions);
        Assert.Contains("export --arithmetic", checkedOptions);
    }

    [Theory]
    [InlineData("--method", "Auto")]
    [InlineData("--method", "MSE")]
    [InlineData("--method", "minmax")]
    [InlineData("--rounding", "Output-Aware")]
    public void ChoicesIgnoreCase(string option, string value)
    {
        ParseResult parse = Program.CreateRoot(new CliContext(TextWriter.Null, TextWriter.Null, false)).Parse(["quantize", "m.onnx", "--calibration", "d.csv", "--out", "m.qem", option, value]);
        Assert.Empty(parse.Errors);
    }

    [Fact]
    public void NumberOptionsRefuseTextInWordsWithoutTypeNames()
    {
        foreach ((string[] path, Command command) in AllCommands())
        {
            foreach (Option option in command.Options.Where(o => o.ValueType == typeof(int) || o.ValueType == typeof(int?) || o.ValueType == typeof(double)))
            {
                CliResult result = Cli.Run([.. path, option.Name, "abc"]);
                Assert.Equal(2, result.Exit);
                string line = Assert.Single(result.ErrLines);
                Assert.Contains($"{option.Name} 'abc': not a", line);
                Assert.DoesNotMatch(@"System\.|Int32|Double|Nullable", line);
            }
        }
    }

    [Theory]
    [InlineData(new[] { "frobnicate" }, "unknown command 'frobnicate'; the commands of 'quantedge' are: quantize, eval, run, inspect, train, export, simulate, demo, node")]
    [InlineData(new[] { "node", "frob" }, "unknown command 'frob'; the commands of 'quantedge node' are: pack, init")]
    [InlineData(new[] { "node" }, "'quantedge node' needs a command: pack, init")]
    [InlineData(new[] { "inspect", "--frob" }, "unknown option '--frob' for 'quantedge inspect'")]
    public void UnknownCommandsAndOptionsAreNamed(string[] args, string message)
    {
        CliResult result = Cli.Run(args);
        Assert.Equal(2, result.Exit);
        Assert.Contains(message, Assert.Single(result.ErrLines));
    }
}
