using System.CommandLine;
using QuantEdge.Compiler.Data;

namespace QuantEdge.Cli.Commands;

/// <summary>Options several commands share, spelled the same everywhere.</summary>
public static class CommonOptions
{
    public static Option<string> Label() => new("--label")
    {
        Description = "Name of the label column (integer class index); it is left out of the inputs.",
        DefaultValueFactory = _ => Dataset.DefaultLabel,
        HelpName = "NAME",
    };

    public static Option<string> RequiredFile(string name, string description, string helpName = "FILE") => new(name)
    {
        Description = description,
        Required = true,
        HelpName = helpName,
    };

    public static Option<bool> Json(string what) => new("--json") { Description = $"Print {what} as one JSON object instead of a table." };

    public static Argument<string> Model(string description) => new("MODEL") { Description = description };

    public static string Percent(double fraction) => (fraction * 100).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + "%";

    public static string Bytes(long bytes) => bytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}
