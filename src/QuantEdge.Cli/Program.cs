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

    public static int Main(string[] args) => Run(args, Console.Out, Console.Error, Console.OpenStandardOutput);

    /// <summary>
    /// Runs the command line with the given writers; progress bars only when they are the terminal.
    /// <paramref name="openStdout"/> gives standard output as bytes, for output files given as "-".
    /// </summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, Func<Stream>? openStdout = null)
    {
        bool interactive = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;
        var context = new CliContext(stdout, stderr, interactive, openStdout);
        RootCommand root = CreateRoot(context);
        ParseResult parse = root.Parse(args.Length == 0 ? ["--help"] : args);
        if (parse.Errors.Count > 0 || OptionAsArgument(parse) is not null)
        {
            string command = string.Join(' ', CommandPath(parse.CommandResult).Prepend("quantedge"));
            context.Error($"{ParseError(parse)} (see '{command} --help')");
            return BadInput;
        }

        if (EmptyValue(parse) is { } empty)
        {
            context.Error($"{empty}: the value is empty (see '{string.Join(' ', CommandPath(parse.CommandResult).Prepend("quantedge"))} --help')");
            return BadInput;
        }

        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
    }

    /// <summary>
    /// The first thing wrong with the command line, in the user's words: an unknown command is named with the
    /// list of commands, an unknown option or a stray argument as such; the parser's own messages lose any .NET
    /// type name.
    /// </summary>
    private static string ParseError(ParseResult parse)
    {
        Command command = parse.CommandResult.Command;
        string where = string.Join(' ', CommandPath(parse.CommandResult).Prepend("quantedge"));
        if (parse.UnmatchedTokens.Count > 0 || OptionAsArgument(parse) is not null)
        {
            string token = OptionAsArgument(parse) ?? parse.UnmatchedTokens[0];
            if (token.StartsWith('-') && token.Length > 1)
            {
                return $"unknown option '{token}' for '{where}'";
            }

            if (command.Subcommands.Count > 0)
            {
                return $"unknown command '{token}'; the commands of '{where}' are: {string.Join(", ", command.Subcommands.Select(c => c.Name))}";
            }

            return $"unexpected argument '{token}' for '{where}'";
        }

        if (command.Subcommands.Count > 0 && command.Action is null)
        {
            return $"'{where}' needs a command: {string.Join(", ", command.Subcommands.Select(c => c.Name))}";
        }

        // A value the user gave that is wrong says more than "option X is required" about another one.
        System.CommandLine.Parsing.ParseError first = parse.Errors.FirstOrDefault(e => e.SymbolResult is System.CommandLine.Parsing.OptionResult { Tokens.Count: > 0 }
            or System.CommandLine.Parsing.ArgumentResult { Tokens.Count: > 0 }) ?? parse.Errors[0];
        string message = first.Message.TrimEnd('.');
        int type = message.IndexOf(" as expected type '", StringComparison.Ordinal);
        return type < 0 ? message : message[..type];
    }

    /// <summary>
    /// A command's argument (a file name) that looks like an option ("--frob", "-x"): the parser takes it as the
    /// argument, but the user meant an option this command does not have. Null when there is none.
    /// </summary>
    private static string? OptionAsArgument(ParseResult parse) => parse.CommandResult.Children
        .OfType<System.CommandLine.Parsing.ArgumentResult>()
        .SelectMany(a => a.Tokens)
        .Select(t => t.Value)
        .FirstOrDefault(v => v.Length > 1 && v[0] == '-');

    /// <summary>The first option or argument given an empty or blank value (no option here means anything empty), or null.</summary>
    private static string? EmptyValue(ParseResult parse)
    {
        foreach (System.CommandLine.Parsing.SymbolResult child in parse.CommandResult.Children)
        {
            string? name = child switch
            {
                System.CommandLine.Parsing.OptionResult option => option.Option.Name,
                System.CommandLine.Parsing.ArgumentResult argument => argument.Argument.Name,
                _ => null,
            };
            if (name is not null && child.Tokens.Any(t => string.IsNullOrWhiteSpace(t.Value)))
            {
                return name;
            }
        }

        return null;
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
            "Outputs are checked before any work: never an input file or another output (however spelled: relative, '..', " +
            "symbolic or hard links), never a folder, in a folder that exists; a command that writes several files writes all " +
            "or none. '-' is standard output for a single file.\n\n" +
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
