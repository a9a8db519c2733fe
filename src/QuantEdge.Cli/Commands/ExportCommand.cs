using System.CommandLine;
using QuantEdge.Compiler.Onnx;

namespace QuantEdge.Cli.Commands;

/// <summary><c>quantedge export</c>: a blob as a QDQ ONNX graph that ONNX Runtime runs.</summary>
public static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var model = CommonOptions.Model("The model blob (.qem) written by 'quantedge quantize'.");
        var output = CommonOptions.RequiredFile("--onnx-qdq", "Where to write the QDQ ONNX model.", "OUT.onnx");
        var arithmetic = new Option<QdqArithmetic>("--arithmetic")
        {
            Description = "device (default): the graph computes exactly what the device computes (integer sums, the runtime's " +
                "rounding), so ONNX Runtime's outputs equal QuantEdge's; float: canonical QDQ (QuantizeLinear/DequantizeLinear " +
                "around float ops), which ONNX Runtime may fuse into its own int8 kernels and which differs from the device by a " +
                "step now and then (docs/qdq-export.md).",
            DefaultValueFactory = _ => QdqArithmetic.Device,
            HelpName = "device|float",
        };
        arithmetic.AcceptOnlyFromAmong("device", "float");
        var command = new Command("export",
            "Write a quantized model as an ONNX graph in QDQ form (int8 weights, int32 biases, QuantizeLinear/DequantizeLinear), " +
            "to run it in ONNX Runtime or inspect it in an ONNX viewer. The graph takes the float input in the model's own " +
            "layout and ends with the dequantized output.\n\n" +
            "Example:\n  quantedge export model.qem --onnx-qdq model.qdq.onnx")
        {
            model, output, arithmetic,
        };
        command.SetAction(parse => context.Execute(() =>
        {
            string path = parse.GetValue(model)!;
            (byte[] blob, _) = InputFiles.LoadBlob(path);
            string target = parse.GetValue(output)!;
            byte[] onnx;
            try
            {
                onnx = QdqExporter.Export(blob, parse.GetValue(arithmetic));
            }
            catch (NotSupportedException e)
            {
                throw new CliException($"{path}: cannot export as QDQ: {e.Message}");
            }

            OutputFile.Write(target, onnx);
            context.Out.WriteLine($"wrote {target} ({CommonOptions.Bytes(onnx.Length)} bytes, {parse.GetValue(arithmetic).ToString().ToLowerInvariant()} arithmetic)");
        }));
        return command;
    }
}
