using System.CommandLine;
using QuantEdge.Compiler.Data;

namespace QuantEdge.Cli.Commands;

/// <summary>Options several commands share, spelled the same everywhere.</summary>
public static class CommonOptions
{
    public static Option<string> Label() => new("--label")
    {
        Description = "Name of the label column (integer class index; an anomaly model's: 0 normal, 1 anomaly); for a regression, " +
            "the target columns, comma-separated (default: the model's output names). They are left out of the inputs.",
        DefaultValueFactory = _ => Dataset.DefaultLabel,
        HelpName = "NAME",
    };

    /// <summary>Whether the user typed the option (not just its default).</summary>
    public static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    public static Option<string> RequiredFile(string name, string description, string helpName = "FILE") => new(name)
    {
        Description = description,
        Required = true,
        HelpName = helpName,
    };

    /// <summary>
    /// One of a few words, matched without case; the first is the default, and help shows it as it is typed.
    /// Turn it into an enum with <see cref="ParseChoice{T}"/>.
    /// </summary>
    public static Option<string> Choice(string name, string description, params string[] choices)
    {
        var option = new Option<string>(name)
        {
            Description = description,
            HelpName = string.Join('|', choices),
            DefaultValueFactory = _ => choices[0],
        };
        option.Validators.Add(result =>
        {
            string? value = result.GetValueOrDefault<string>();
            if (value is null || !choices.Contains(value, StringComparer.OrdinalIgnoreCase))
            {
                result.AddError($"{name} '{value}': choose one of {string.Join(", ", choices)}");
            }
        });
        return option;
    }

    /// <summary>A <see cref="Choice"/>'s word as the enum value of the same name.</summary>
    public static T ParseChoice<T>(string value)
        where T : struct, Enum => Enum.Parse<T>(value.Replace("-", ""), ignoreCase: true); // output-aware → OutputAware

    /// <summary>A whole-number option; anything else is refused in words ("--epochs 'x': not a whole number").</summary>
    public static Option<int> Integer(string name, string description, int defaultValue, string helpName = "N") => new(name)
    {
        Description = description,
        HelpName = helpName,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => ParseInteger(result, name),
    };

    /// <summary>An optional whole-number option (null when not given).</summary>
    public static Option<int?> OptionalInteger(string name, string description, string helpName = "N") => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result => (int?)ParseInteger(result, name),
    };

    /// <summary>An option's whole number, for a custom parser; anything else is refused in words.</summary>
    public static int ParseInteger(System.CommandLine.Parsing.ArgumentResult result, string name) => ParseNumber<int>(result, name, int.TryParse, "a whole number");

    /// <summary>A number option (a decimal point and an exponent are fine; NaN and infinities are not).</summary>
    public static Option<double> Number(string name, string description, double defaultValue, string helpName = "X") => new(name)
    {
        Description = description,
        HelpName = helpName,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => ParseNumber<double>(result, name, (string text, IFormatProvider provider, out double value) =>
            double.TryParse(text, System.Globalization.NumberStyles.Float, provider, out value) && double.IsFinite(value), "a number"),
    };

    private delegate bool TryParse<T>(string text, IFormatProvider provider, out T value);

    private static T ParseNumber<T>(System.CommandLine.Parsing.ArgumentResult result, string name, TryParse<T> parse, string what)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (parse(text, System.Globalization.CultureInfo.InvariantCulture, out T value))
        {
            return value;
        }

        result.AddError($"{name} '{text}': not {what}");
        return default!;
    }

    public static Option<bool> Json(string what) => new("--json") { Description = $"Print {what} as one JSON object instead of a table." };

    public static Argument<string> Model(string description) => new("MODEL") { Description = description };

    public static string Percent(double fraction) => (fraction * 100).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + "%";

    public static string Bytes(long bytes) => bytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}
