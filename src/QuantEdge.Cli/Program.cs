using System.CommandLine;
using QuantEdge.Cli.Commands;

namespace QuantEdge.Cli;

/// <summary>
/// The <c>quantedge</c> command. Exit codes: 0 success, 2 bad input or usage (one line on stderr
/// naming the file and the row, column or node), 1 an internal error.
/// </summary>
public static class Program
{
    public const int Success = 0, InternalError = 1, BadInput = 2;

    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the command line with the given writers; progress bars only when they are the terminal.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        bool interactive = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;
        var context = new CliContext(stdout, stderr, interactive);
        RootCommand root = CreateRoot(context);
        ParseResult parse = root.Parse(args.Length == 0 ? ["--help"] : args);
        if (parse.Errors.Count > 0)
        {
            string command = string.Join(' ', CommandPath(parse.CommandResult).Prepend("quantedge"));
            context.Error($"{parse.Errors[0].Message} (see '{command} --help')");
            return BadInput;
        }

        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
    }

    /// <summary>The names of the (sub)commands from the root down to <paramref name="result"/>: "node", "pack".</summary>
    private static IEnumerable<string> CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new List<string>();
        for (var current = result; current is not null && current.Command is not RootCommand; current = current.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, current.Command.Name);
        }

        return names;
    }

    public static RootCommand CreateRoot(CliContext context)
    {
        var root = new RootCommand(
            "QuantEdge: put a trained model on an ESP32 running .NET nanoFramework. Quantizes a float ONNX model to an " +
            "int8 blob (.qem) with real data, evaluates it against the float model, inspects and runs it with the very " +
            "runtime the device uses, and trains small MLPs from CSV.\n\n" +
            "CSV files have a header row; the label column (default 'label', an integer class index) is left out of the " +
            "inputs and every other column is an input feature, in order.\n\n" +
            "Exit codes: 0 success, 2 bad input (one line on stderr names the file and row, column or node), 1 internal error.\n\n" +
            "Example:\n  quantedge demo");
        root.Subcommands.Add(QuantizeCommand.Create(context));
        root.Subcommands.Add(EvalCommand.Create(context));
        root.Subcommands.Add(RunCommand.Create(context));
        root.Subcommands.Add(InspectCommand.Create(context));
        root.Subcommands.Add(TrainCommand.Create(context));
        root.Subcommands.Add(ExportCommand.Create(context));
        root.Subcommands.Add(SimulateCommand.Create(context));
        root.Subcommands.Add(DemoCommand.Create(context));
        root.Subcommands.Add(NodeCommand.Create(context));
        return root;
    }
}
