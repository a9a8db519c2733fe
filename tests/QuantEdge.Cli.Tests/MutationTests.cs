using System.Globalization;
using System.Text;
using CsCheck;
using QuantEdge.Compiler.Onnx;

namespace QuantEdge.Cli.Tests;

/// <summary>
/// Property tests: thousands of mutated ONNX files and CSV files through the commands that read them. Every run
/// must end in exit 0 or exit 2 with one line on stderr (never an internal error), and leave no file behind but
/// the outputs it was asked for. A failure prints CsCheck's seed, which replays it (Sample's seed argument).
/// </summary>
[Collection(IrisCollection.Name)]
public sealed class MutationTests(IrisArtifacts iris) : IDisposable
{
    /// <summary>Runs per property: a few seconds each on one core (QUANTEDGE_MUTATIONS=N runs more).</summary>
    private static readonly int Iterations = int.TryParse(Environment.GetEnvironmentVariable("QUANTEDGE_MUTATIONS"), out int n) ? n : 3000;

    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>One edit of a file's bytes: a kind, where (a fraction of the length) and a value.</summary>
    public sealed record Mutation(int Kind, double Where, int Value)
    {
        public const int Kinds = 9;

        private static readonly float[] Specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 3e38f, -3e38f, 1e-45f, 0f, 65504f, 1e30f];

        public byte[] Apply(byte[] bytes)
        {
            if (bytes.Length == 0)
            {
                return [(byte)Value];
            }

            int at = Math.Clamp((int)(Where * bytes.Length), 0, bytes.Length - 1);
            var list = new List<byte>(bytes);
            switch (Kind)
            {
                case 0: // flip one bit
                    list[at] ^= (byte)(1 << (Value & 7));
                    break;
                case 1: // a byte at its edges or anything
                    list[at] = (Value & 3) switch { 0 => 0x00, 1 => 0xFF, 2 => 0x80, _ => (byte)(Value >> 2) };
                    break;
                case 2: // truncate
                    list.RemoveRange(at, list.Count - at);
                    break;
                case 3: // delete a short range
                    list.RemoveRange(at, Math.Min(1 + (Value & 15), list.Count - at));
                    break;
                case 4: // duplicate a short range
                    list.InsertRange(at, list.GetRange(at, Math.Min(1 + (Value & 31), list.Count - at)));
                    break;
                case 5: // a special float32 written over four bytes
                    byte[] f = BitConverter.GetBytes(Specials[(Value & 0x7FFFFFFF) % Specials.Length]);
                    for (int i = 0; i < 4 && at + i < list.Count; i++)
                    {
                        list[at + i] = f[i];
                    }

                    break;
                case 6: // a huge varint (lengths, dims, counts)
                    list.InsertRange(at, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, (byte)(0x07 + (Value & 0x70)) });
                    break;
                case 7: // a random byte inserted
                    list.Insert(at, (byte)Value);
                    break;
                default: // swap two bytes
                    int other = Math.Clamp((int)((1 - Where) * bytes.Length), 0, bytes.Length - 1);
                    (list[at], list[other]) = (list[other], list[at]);
                    break;
            }

            return list.ToArray();
        }

        public override string ToString() => $"{Kind}@{Where:0.####}:{Value}";
    }

    private static readonly Gen<Mutation[]> Mutations =
        Gen.Select(Gen.Int[0, Mutation.Kinds - 1], Gen.Double[0, 1], Gen.Int, (k, w, v) => new Mutation(k, w, v)).Array[1, 4];

    private static byte[] Apply(byte[] original, Mutation[] mutations) => mutations.Aggregate(original, (bytes, m) => m.Apply(bytes));

    /// <summary>A small convolutional model (Conv, BatchNormalization, Relu, MaxPool, Flatten, Gemm, Softmax) and rows for it.</summary>
    private static (byte[] Onnx, string Csv) ConvModel()
    {
        var random = new Random(7);
        float[] Values(int n, double scale) => Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() - 0.5) * scale)).ToArray();
        byte[] onnx = new OnnxModelBuilder(13)
            .Input("x", "N", 1, 6, 6)
            .Initializer("w", [2, 1, 3, 3], Values(18, 1))
            .Initializer("b", [2], Values(2, 0.1))
            .Initializer("gamma", [2], [1.1f, 0.9f]).Initializer("beta", [2], [0.1f, -0.1f])
            .Initializer("mean", [2], [0.05f, -0.05f]).Initializer("var", [2], [1.2f, 0.8f])
            .Initializer("fc", [8, 3], Values(24, 1))
            .Initializer("fcb", [3], Values(3, 0.1))
            .Node("Conv", ["x", "w", "b"], ["c"], name: "conv")
            .Node("BatchNormalization", ["c", "gamma", "beta", "mean", "var"], ["n"], name: "bn")
            .Node("Relu", ["n"], ["r"], name: "relu")
            .Node("MaxPool", ["r"], ["p"], a => a.Ints("kernel_shape", 2, 2).Ints("strides", 2, 2), name: "pool")
            .Node("Flatten", ["p"], ["f"], name: "flatten")
            .Node("Gemm", ["f", "fc", "fcb"], ["g"], name: "dense")
            .Node("Softmax", ["g"], ["y"], name: "softmax")
            .Output("y", "N", 3)
            .ToBytes();
        var csv = new StringBuilder(string.Join(",", Enumerable.Range(0, 36).Select(i => $"p{i}")) + ",label\n");
        for (int row = 0; row < 24; row++)
        {
            csv.Append(string.Join(",", Values(36, 4).Select(v => v.ToString(CultureInfo.InvariantCulture)))).Append(',').Append(row % 3).Append('\n');
        }

        return (onnx, csv.ToString());
    }

    /// <summary>Exit 0 or exit 2 with one "error:" line; no file left in the folder but <paramref name="allowed"/>.</summary>
    /// <summary>Runs that succeeded: each property checks it saw some, so that its mutations do not all fail on the first byte.</summary>
    private int successes;

    private void AssertClean(CliResult result, string what, params string[] allowed)
    {
        successes += result.Exit == 0 ? 1 : 0;
        Assert.True(result.Exit is 0 or 2, $"{what}: exit {result.Exit}: {result.Err}");
        if (result.Exit == 2)
        {
            Assert.True(result.ErrLines.Length == 1 && result.Err.StartsWith("error: ", StringComparison.Ordinal), $"{what}: stderr: {result.Err}");
            Assert.DoesNotContain("internal error", result.Err);
        }

        string[] unexpected = Directory.GetFiles(folder.Path).Select(Path.GetFileName).Where(f => !allowed.Contains(f) && !f!.StartsWith("in.", StringComparison.Ordinal)).ToArray()!;
        Assert.True(unexpected.Length == 0, $"{what}: left {string.Join(", ", unexpected)}");
        foreach (string file in allowed)
        {
            File.Delete(folder.File(file));
        }
    }

    [Fact]
    public void MutatedOnnxModelsQuantizeOrAreRefused()
    {
        (byte[] conv, string convCsv) = ConvModel();
        string convRows = folder.Write("in.conv.csv", convCsv);
        byte[] mlp = File.ReadAllBytes(iris.Onnx);
        Gen.Select(Gen.Bool, Mutations).Sample((useConv, mutations) =>
        {
            string model = folder.Write("in.model.onnx", Apply(useConv ? conv : mlp, mutations));
            string rows = useConv ? convRows : Cli.Data("iris_train.csv");
            CliResult result = Cli.Run("quantize", model, "--calibration", rows, "--out", folder.File("out.qem"), "--method", "minmax", "--samples", "12");
            AssertClean(result, "quantize", "out.qem");
        }, iter: Iterations, threads: 1, print: t => $"{(t.Item1 ? "conv" : "mlp")} {string.Join(" ", t.Item2.Select(m => m.ToString()))}");
        Assert.True(successes > 0, "no mutated input was accepted: the mutations are too coarse to reach the commands' work");
    }

    /// <summary>
    /// One edit of an ONNX model's fields, not its bytes: an attribute's integer or float, a dimension of an
    /// initializer or graph input, an initializer's value, or a node input rewired to another value.
    /// </summary>
    public sealed record FieldEdit(int Slot, int Value)
    {
        private static readonly long[] Integers = [0, -1, 1, 2, 3, 7, 255, 65535, 65536, int.MaxValue, int.MinValue, 1L << 40, -(1L << 40)];
        private static readonly float[] Floats = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 3e38f, -3e38f, 0f, -1f, 1e-45f, 1e30f, 2f];

        internal void Apply(global::Onnx.ModelProto model)
        {
            var slots = new List<Action<int>>();
            global::Onnx.GraphProto graph = model.Graph;
            foreach (global::Onnx.NodeProto node in graph.Node)
            {
                foreach (global::Onnx.AttributeProto attribute in node.Attribute)
                {
                    slots.Add(v => attribute.I = Integers[v % Integers.Length]);
                    slots.Add(v => attribute.F = Floats[v % Floats.Length]);
                    for (int k = 0; k < attribute.Ints.Count; k++)
                    {
                        int index = k;
                        slots.Add(v => attribute.Ints[index] = Integers[v % Integers.Length]);
                    }
                }

                for (int k = 0; k < node.Input.Count; k++)
                {
                    int index = k;
                    slots.Add(v => node.Input[index] = AllNames(graph)[v % AllNames(graph).Count]);
                }
            }

            foreach (global::Onnx.TensorProto tensor in graph.Initializer)
            {
                for (int k = 0; k < tensor.Dims.Count; k++)
                {
                    int index = k;
                    slots.Add(v => tensor.Dims[index] = Integers[v % Integers.Length]);
                }

                slots.Add(v =>
                {
                    byte[] raw = tensor.RawData.ToByteArray();
                    if (raw.Length >= 4)
                    {
                        BitConverter.GetBytes(Floats[v % Floats.Length]).CopyTo(raw, 4 * ((v / Floats.Length) % (raw.Length / 4)));
                        tensor.RawData = Google.Protobuf.ByteString.CopyFrom(raw);
                    }
                });
            }

            foreach (global::Onnx.ValueInfoProto input in graph.Input)
            {
                var dims = input.Type?.TensorType?.Shape?.Dim;
                for (int k = 0; dims is not null && k < dims.Count; k++)
                {
                    int index = k;
                    slots.Add(v => dims[index].DimValue = Integers[v % Integers.Length]);
                }
            }

            slots[Slot % slots.Count](Value);
        }

        private static List<string> AllNames(global::Onnx.GraphProto graph) =>
            graph.Input.Select(i => i.Name).Concat(graph.Node.SelectMany(n => n.Output)).Concat(graph.Initializer.Select(i => i.Name)).Append("").ToList();

        public override string ToString() => $"{Slot}:{Value}";
    }

    [Fact]
    public void OnnxModelsWithEditedFieldsQuantizeOrAreRefused()
    {
        (byte[] conv, string convCsv) = ConvModel();
        string convRows = folder.Write("in.conv.csv", convCsv);
        byte[] mlp = File.ReadAllBytes(iris.Onnx);
        Gen.Select(Gen.Bool, Gen.Select(Gen.Int[0, 10_000], Gen.Int[0, 10_000], (slot, value) => new FieldEdit(slot, value)).Array[1, 3]).Sample((useConv, edits) =>
        {
            var model = global::Onnx.ModelProto.Parser.ParseFrom(useConv ? conv : mlp);
            foreach (FieldEdit edit in edits)
            {
                edit.Apply(model);
            }

            string path = folder.Write("in.model.onnx", Google.Protobuf.MessageExtensions.ToByteArray(model));
            CliResult result = Cli.Run("quantize", path, "--calibration", useConv ? convRows : Cli.Data("iris_train.csv"), "--out", folder.File("out.qem"), "--method", "minmax", "--samples", "12");
            AssertClean(result, "quantize (fields)", "out.qem");
        }, iter: Iterations, threads: 1, print: t => $"{(t.Item1 ? "conv" : "mlp")} {string.Join(" ", t.Item2.Select(e => e.ToString()))}");
        Assert.True(successes > 0, "no mutated input was accepted: the mutations are too coarse to reach the commands' work");
    }

    [Fact]
    public void MutatedOnnxReferencesEvaluateOrAreRefused()
    {
        byte[] mlp = File.ReadAllBytes(iris.Onnx);
        Mutations.Sample(mutations =>
        {
            string model = folder.Write("in.model.onnx", Apply(mlp, mutations));
            AssertClean(Cli.Run("eval", iris.Blob, "--data", Cli.Data("iris_test.csv"), "--reference", model, "--json"), "eval --reference");
        }, iter: Iterations / 3, threads: 1, print: m => string.Join(" ", m.Select(x => x.ToString())));
        Assert.True(successes > 0, "no mutated input was accepted: the mutations are too coarse to reach the commands' work");
    }

    /// <summary>Text edits of a CSV: a token inserted or written over, a line deleted or repeated, the file cut.</summary>
    public sealed record CsvEdit(int Kind, double Where, int Token)
    {
        public static readonly string[] Tokens =
        [
            "NaN", "inf", "-Infinity", "3e38", "-3.4e38", "1e39", "1e-50", "", ",", "\"", "\"\"", "\n", "\r\n", " ", "x", "\0", "∞", "label", "f0",
            "7", "100000", "-1", "2147483648", "0x10", "1,5", "١", "1e", "--1", "+1", "0.5", "99999999999999999999",
        ];

        public string Apply(string text)
        {
            if (text.Length == 0)
            {
                return Tokens[Token % Tokens.Length];
            }

            int at = Math.Clamp((int)(Where * text.Length), 0, text.Length - 1);
            string token = Tokens[(Token & 0x7FFFFFFF) % Tokens.Length];
            string[] lines = text.Split('\n');
            int line = Math.Clamp((int)(Where * lines.Length), 0, lines.Length - 1);
            return Kind switch
            {
                0 => text.Insert(at, token),
                1 => text[..at] + token + text[Math.Min(text.Length, at + 1 + (Token & 3))..],
                2 => string.Join('\n', lines.Where((_, i) => i != line)),
                3 => string.Join('\n', lines.Take(line + 1).Append(lines[line]).Concat(lines.Skip(line + 1))),
                4 => text[..at],
                _ => ReplaceField(lines, line, token),
            };
        }

        /// <summary>One comma-separated field of a line replaced by <paramref name="token"/>.</summary>
        private string ReplaceField(string[] lines, int line, string token)
        {
            string[] fields = lines[line].Split(',');
            fields[(Token >> 8 & 0xFFFF) % fields.Length] = token;
            lines = (string[])lines.Clone();
            lines[line] = string.Join(',', fields);
            return string.Join('\n', lines);
        }

        public override string ToString() => $"{Kind}@{Where:0.####}:{Token}";
    }

    private static readonly Gen<CsvEdit[]> CsvEdits =
        Gen.Select(Gen.Int[0, 5], Gen.Double[0, 1], Gen.Int[0, int.MaxValue], (k, w, t) => new CsvEdit(k, w, t)).Array[1, 3];

    [Fact]
    public void MutatedCsvFilesAreReadOrRefusedByEveryCommand()
    {
        // A short CSV keeps each run cheap; the same edits go through every command that reads a CSV.
        string original = string.Join('\n', File.ReadAllLines(Cli.Data("iris_train.csv")).Take(13)) + "\n";
        string[] commands = ["eval", "run", "quantize", "train"];
        Gen.Select(Gen.Int[0, commands.Length - 1], CsvEdits).Sample((command, edits) =>
        {
            string csv = folder.Write("in.data.csv", edits.Aggregate(original, (text, e) => e.Apply(text)));
            CliResult result = commands[command] switch
            {
                "eval" => Cli.Run("eval", iris.Blob, "--data", csv, "--reference", iris.Onnx),
                "run" => Cli.Run("run", iris.Blob, "--data", csv),
                "quantize" => Cli.Run("quantize", iris.Onnx, "--calibration", csv, "--out", folder.File("out.qem"), "--method", "minmax"),
                _ => Cli.Run("train", "--data", csv, "--hidden", "3", "--epochs", "2", "--out", folder.File("out.onnx")),
            };
            AssertClean(result, commands[command], "out.qem", "out.onnx");
        }, iter: Iterations * 2, threads: 1, print: t => $"{commands[t.Item1]} {string.Join(" ", t.Item2.Select(e => e.ToString()))}");
        Assert.True(successes > 0, "no mutated input was accepted: the mutations are too coarse to reach the commands' work");
    }
}
