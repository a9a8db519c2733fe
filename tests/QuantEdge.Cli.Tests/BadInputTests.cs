using QuantEdge.Compiler.Onnx;

namespace QuantEdge.Cli.Tests;

/// <summary>
/// Every kind of bad input: exit code 2, exactly one line on stderr that names the file and the row,
/// column or node, nothing on stdout, and no output file (not even a temporary one) left behind.
/// </summary>
[Collection(IrisCollection.Name)]
public sealed class BadInputTests(IrisArtifacts iris) : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private string Out(string name) => folder.File(name);

    private void AssertBadInput(CliResult result, params string[] mentions)
    {
        Assert.True(result.Exit == 2, $"exit {result.Exit}, stderr: {result.Err}");
        Assert.Single(result.ErrLines);
        Assert.StartsWith("error: ", result.Err);
        foreach (string mention in mentions)
        {
            Assert.Contains(mention, result.Err);
        }

        Assert.Equal("", result.Out);
        Assert.DoesNotContain(Directory.GetFiles(folder.Path), f => Path.GetExtension(f) is ".qem" or ".onnx" or ".html" or ".tmp");
    }

    // CSV problems, through every command that reads a CSV.

    public static TheoryData<string, string, string[]> BadCsvs() => new()
    {
        { "ragged.csv", "f0,f1,f2,f3,label\n1,2,3,4,0\n1,2,3\n", ["ragged.csv:3", "3 columns where the header has 5"] },
        { "text.csv", "f0,f1,f2,f3,label\n1,2,3,4,0\n1,abc,3,4,1\n", ["text.csv:3", "column 2 ('f1')", "'abc' is not a number"] },
        { "badlabel.csv", "f0,f1,f2,f3,label\n1,2,3,4,x\n", ["badlabel.csv:2", "column 5 ('label')"] },
        { "nolabel.csv", "f0,f1,f2,f3,f4\n1,2,3,4,5\n", ["nolabel.csv", "no label column 'label'"] },
        { "narrow.csv", "f0,f1,f2,label\n1,2,3,0\n", ["narrow.csv", "3 feature columns", "4 inputs"] },
        { "empty.csv", "", ["empty.csv"] },
    };

    [Theory]
    [MemberData(nameof(BadCsvs))]
    public void QuantizeRejectsBadCalibrationCsv(string name, string text, string[] mentions)
    {
        // Without --report labels are optional, so only the report run needs the label column.
        string csv = folder.Write(name, text);
        AssertBadInput(Cli.Run("quantize", iris.Onnx, "--calibration", csv, "--out", Out("m.qem"), "--report", Out("r.html")), mentions);
    }

    [Theory]
    [MemberData(nameof(BadCsvs))]
    public void EvalRejectsBadCsv(string name, string text, string[] mentions) =>
        AssertBadInput(Cli.Run("eval", iris.Blob, "--data", folder.Write(name, text), "--reference", iris.Onnx), mentions);

    [Theory]
    [MemberData(nameof(BadCsvs))]
    public void RunRejectsBadCsv(string name, string text, string[] mentions)
    {
        if (name == "nolabel.csv")
        {
            return; // run needs no labels: a fifth feature column is a feature-count mismatch instead
        }

        AssertBadInput(Cli.Run("run", iris.Blob, "--data", folder.Write(name, text)), mentions);
    }

    [Theory]
    [MemberData(nameof(BadCsvs))]
    public void TrainRejectsBadCsv(string name, string text, string[] mentions)
    {
        if (name == "narrow.csv")
        {
            return; // any feature count trains
        }

        AssertBadInput(Cli.Run("train", "--data", folder.Write(name, text), "--epochs", "2", "--out", Out("m.onnx")), mentions);
    }

    [Fact]
    public void RunRejectsAFeatureCountMismatchNamingBothFiles() =>
        AssertBadInput(Cli.Run("run", iris.Blob, "--data", folder.Write("wide.csv", "a,b,c,d,e\n1,2,3,4,5\n")), "wide.csv", "5 feature columns", Path.GetFileName(iris.Blob));

    [Fact]
    public void AReferenceThatIsNotTheQuantizedModelIsNamed()
    {
        using var other = new TempFolder();
        Cli.Ok("train", "--data", folder.Write("two-class.csv", "f0,f1,f2,f3,label\n1,2,3,4,0\n2,3,4,5,1\n"), "--epochs", "2", "--out", other.File("other.onnx"));
        AssertBadInput(Cli.Run("eval", iris.Blob, "--data", Cli.Data("iris_test.csv"), "--reference", other.File("other.onnx")), "other.onnx", "2 outputs");
    }

    [Fact]
    public void MissingFilesAreNamed()
    {
        AssertBadInput(Cli.Run("quantize", folder.File("missing.onnx"), "--calibration", Cli.Data("iris_train.csv"), "--out", Out("m.qem")), "missing.onnx", "not found");
        AssertBadInput(Cli.Run("quantize", iris.Onnx, "--calibration", folder.File("missing.csv"), "--out", Out("m.qem")), "missing.csv", "not found");
        AssertBadInput(Cli.Run("inspect", folder.File("missing.qem")), "missing.qem", "not found");
        AssertBadInput(Cli.Run("eval", iris.Blob, "--data", Cli.Data("iris_test.csv"), "--reference", folder.File("missing.onnx")), "missing.onnx", "not found");
    }

    // ONNX problems.

    [Fact]
    public void GarbageOnnxIsNamed()
    {
        string model = folder.Write("garbage.bin", Enumerable.Range(0, 300).Select(i => (byte)(i * 37 + 11)).ToArray());
        AssertBadInput(Cli.Run("quantize", model, "--calibration", Cli.Data("iris_train.csv"), "--out", Out("m.qem")), "garbage.bin");
    }

    [Fact]
    public void TruncatedOnnxIsNamed()
    {
        byte[] bytes = File.ReadAllBytes(iris.Onnx);
        string model = folder.Write("truncated.bin", bytes[..(bytes.Length / 2)]);
        AssertBadInput(Cli.Run("quantize", model, "--calibration", Cli.Data("iris_train.csv"), "--out", Out("m.qem")), "truncated.bin");
    }

    [Fact]
    public void UnsupportedOpNamesTheNode()
    {
        string model = folder.Write("sine.bin", new OnnxModelBuilder(13)
            .Input("x", "N", 4)
            .Node("Sin", ["x"], ["y"], name: "wave")
            .Output("y", "N", 4)
            .ToBytes());
        AssertBadInput(Cli.Run("quantize", model, "--calibration", Cli.Data("iris_train.csv"), "--out", Out("m.qem")), "sine.bin", "wave", "Sin");
    }

    [Fact]
    public void AModelTheDeviceCannotRunIsNamed()
    {
        string model = folder.Write("two-outputs.bin", new OnnxModelBuilder(13)
            .Input("x", "N", 4)
            .Node("Relu", ["x"], ["a"])
            .Node("Sigmoid", ["x"], ["b"])
            .Output("a", "N", 4)
            .Output("b", "N", 4)
            .ToBytes());
        AssertBadInput(Cli.Run("quantize", model, "--calibration", Cli.Data("iris_train.csv"), "--out", Out("m.qem")), "two-outputs.bin", "one input and one output");
    }

    [Fact]
    public void CalibrationRowsOfTheWrongWidthAreNamed() =>
        AssertBadInput(Cli.Run("quantize", iris.Onnx, "--calibration", Cli.Data("segment_test.csv"), "--out", Out("m.qem")), "segment_test.csv", "19 feature columns");

    // Blob problems, through every command that reads a blob.

    public static TheoryData<string, string> BadBlobs() => new()
    {
        { "garbage", "bad magic" },
        { "truncated", "truncated" },
        { "flipped", "checksum" },
        { "empty", "truncated" },
    };

    private string BadBlob(string kind)
    {
        byte[] bytes = File.ReadAllBytes(iris.Blob);
        byte[] bad = kind switch
        {
            "garbage" => Enumerable.Range(0, bytes.Length).Select(i => (byte)(i * 13 + 5)).ToArray(),
            "truncated" => bytes[..(bytes.Length / 2)],
            "flipped" => bytes.Select((b, i) => i == bytes.Length - 3 ? (byte)(b ^ 0x10) : b).ToArray(),
            _ => [],
        };
        return folder.Write($"{kind}.bin", bad);
    }

    [Theory]
    [MemberData(nameof(BadBlobs))]
    public void InspectRejectsABadBlob(string kind, string reason) =>
        AssertBadInput(Cli.Run("inspect", BadBlob(kind), "--json"), $"{kind}.bin", reason);

    [Theory]
    [MemberData(nameof(BadBlobs))]
    public void RunRejectsABadBlob(string kind, string reason) =>
        AssertBadInput(Cli.Run("run", BadBlob(kind), "--data", Cli.Data("iris_test.csv")), $"{kind}.bin", reason);

    [Theory]
    [MemberData(nameof(BadBlobs))]
    public void EvalRejectsABadBlob(string kind, string reason) =>
        AssertBadInput(Cli.Run("eval", BadBlob(kind), "--data", Cli.Data("iris_test.csv"), "--json"), $"{kind}.bin", reason);

    // Arguments and output paths.

    [Fact]
    public void AnOutputFolderThatDoesNotExistIsNamed() =>
        AssertBadInput(Cli.Run("quantize", iris.Onnx, "--calibration", Cli.Data("iris_train.csv"), "--out", folder.File("no/such/m.qem")), "no/such/m.qem", "does not exist");

    [Fact]
    public void AReportNeedsLabelledCalibrationRows() =>
        AssertBadInput(Cli.Run("quantize", iris.Onnx, "--calibration", folder.Write("unlabelled.csv", "a,b,c,d\n1,2,3,4\n"),
            "--out", Out("m.qem"), "--report", Out("r.html")), "unlabelled.csv", "no label column");

    [Theory]
    [InlineData("--hidden", "8,x", "--hidden '8,x'")]
    [InlineData("--hidden", "0,4", "--hidden '0,4'")]
    [InlineData("--epochs", "0", "--epochs 0")]
    [InlineData("--qat", "200", "--qat 200: must be 1 to 199")]
    [InlineData("--qat", "x", "--qat 'x': not a whole number")]
    public void BadTrainingSettingsAreNamed(string option, string value, string mention) =>
        AssertBadInput(Cli.Run("train", "--data", Cli.Data("iris_train.csv"), option, value, "--out", Out("m.onnx")), mention);

    [Fact]
    public void ClassNamesMustMatchTheOutputs() =>
        AssertBadInput(Cli.Run("quantize", iris.Onnx, "--calibration", Cli.Data("iris_train.csv"), "--out", Out("m.qem"), "--classes", "a,b"),
            "--classes", "2 names", "3 outputs");
}
