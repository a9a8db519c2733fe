using System.CommandLine;
using System.Globalization;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Runtime;

namespace QuantEdge.Cli.Commands;

/// <summary><c>quantedge run</c>: predictions of the device runtime for every row of a CSV file.</summary>
public static class RunCommand
{
    public static Command Create(CliContext context)
    {
        var model = CommonOptions.Model("The model blob (.qem).");
        var data = CommonOptions.RequiredFile("--data", "CSV of inputs: a header row, one column per feature (a label column, if present, is left out; its values must be classes of the model).", "DATA.csv");
        var label = CommonOptions.Label();
        var command = new Command("run",
            "Run the int8 model on every row of a CSV file with the device runtime itself, exactly as a device would: each " +
            "feature becomes the raw integer the device reads (raw = round(value / 10^unit), see 'inspect'), which the " +
            "model quantizes with integer math. Prints CSV on stdout: a header, then per row the predicted class index " +
            "and the dequantized outputs ((q - zero point) * scale).\n\n" +
            "Example:\n  quantedge run model.qem --data data/segment_test.csv > predictions.csv")
        {
            model, data, label,
        };
        command.SetAction(parse => context.Execute(() =>
        {
            string path = parse.GetValue(model)!;
            (_, Model device) = InputFiles.LoadBlob(path);
            Dataset rows = InputFiles.LoadCsv(parse.GetValue(data)!, parse.GetValue(label)!, requireLabel: false);
            rows.RequireFeatureCount(device.InputLength, path);
            rows.RequireLabelsBelow(device.OutputLength, path);
            var output = new StringWriter(CultureInfo.InvariantCulture);
            output.WriteLine(string.Join(",", Enumerable.Range(0, device.OutputLength).Select(i => Column(device, i)).Prepend("predicted")));
            foreach (float[] features in rows.Features)
            {
                Prediction prediction = DeviceRunner.Run(device, features);
                output.WriteLine(string.Join(",", prediction.Outputs.Select(v => ((float)v).ToString(CultureInfo.InvariantCulture)).Prepend(prediction.Class.ToString(CultureInfo.InvariantCulture))));
            }

            context.Out.Write(output.ToString());
        }));
        return command;
    }

    /// <summary>The output's class label when the blob has one and it is a plain CSV name, else "output{i}".</summary>
    private static string Column(Model model, int index) =>
        model.GetClassLabel(index) is { Length: > 0 } name && !name.Any(c => c is ',' or '"' or '\n' or '\r') && name != "predicted"
            ? name
            : $"output{index}";
}
