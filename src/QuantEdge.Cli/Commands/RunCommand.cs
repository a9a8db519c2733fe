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
        var data = CommonOptions.RequiredFile("--data",
            "CSV of inputs: a header row, one column per feature (label or target columns, if present, are left out; a classifier's labels must be its classes).",
            "DATA.csv");
        var label = CommonOptions.Label();
        var command = new Command("run",
            "Run the int8 model on every row of a CSV file with the device runtime itself, exactly as a device would: each " +
            "feature becomes the raw integer the device reads (raw = round(value / 10^unit), see 'inspect'), which the " +
            "model quantizes with integer math. Prints CSV on stdout: a header, then per row the dequantized outputs " +
            "((q - zero point) * scale, in the outputs' units), after the predicted class index for a classifier.\n\n" +
            "Example:\n  quantedge run model.qem --data data/segment_test.csv > predictions.csv\n" +
            "  quantedge run petal-width.qem --data data/iris_petal_test.csv")
        {
            model, data, label,
        };
        command.SetAction(parse => context.Execute(() =>
        {
            string path = parse.GetValue(model)!;
            // Loaded (and validated) on the host's SIMD kernels: the same bytes out as the device's.
            Model device;
            using (HostSimd.Use())
            {
                device = InputFiles.LoadBlob(path).Model;
            }
            Dataset rows = InputFiles.LoadFor(device, path, parse.GetValue(data)!, parse.GetValue(label)!, CommonOptions.Given(parse, label), required: false);
            bool classifier = device.Task == ModelTask.Classification;
            IEnumerable<string> header = Enumerable.Range(0, device.OutputLength).Select(i => Column(device, i));
            var output = new StringWriter(CultureInfo.InvariantCulture);
            output.WriteLine(string.Join(",", classifier ? header.Prepend("predicted") : header));
            var runs = new DeviceRunner.Rows(device);
            var outputs = new double[device.OutputLength];
            foreach (float[] features in rows.Features)
            {
                runs.Run(features);
                runs.Outputs(outputs);
                IEnumerable<string> values = outputs.Select(v => ((float)v).ToString(CultureInfo.InvariantCulture));
                output.WriteLine(string.Join(",", classifier ? values.Prepend(device.ArgMax().ToString(CultureInfo.InvariantCulture)) : values));
            }

            context.Out.Write(output.ToString());
        }));
        return command;
    }

    /// <summary>The output's name when the blob has one and it is a plain CSV name, else "output{i}".</summary>
    private static string Column(Model model, int index) =>
        model.GetOutputName(index) is { Length: > 0 } name && !name.Any(c => c is ',' or '"' or '\n' or '\r') && name != "predicted"
            ? name
            : $"output{index}";
}
