using System.Text.Json.Nodes;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Runtime;

namespace QuantEdge.Cli.Tests;

[Collection(IrisCollection.Name)]
public class InspectCommandTests(IrisArtifacts iris)
{
    /// <summary>An image input's one stored rule is one row of the text, not one per pixel (the JSON still lists every input).</summary>
    [Fact]
    public void AnInputRuleSharedByAllElementsIsShownOnce()
    {
        using var folder = new TempFolder();
        string image = folder.Write("image.onnx", new OnnxModelBuilder(13)
            .Input("x", 1, 1, 2, 2)
            .Initializer("K", [2, 1, 1, 1], [0.5f, -0.25f])
            .Initializer("W", [3, 8], Enumerable.Range(0, 24).Select(i => (i % 5 - 2) * 0.1f).ToArray())
            .Node("Conv", ["x", "K"], ["c"])
            .Node("Flatten", ["c"], ["f"])
            .Node("Gemm", ["f", "W"], ["y"], a => a.Int("transB", 1))
            .Output("y", 1, 3)
            .ToBytes());
        string blob = folder.File("image.qem");
        Cli.Ok("quantize", image, "--calibration", Cli.Data("iris_train.csv"), "--out", blob);

        string text = Cli.Ok("inspect", blob).Out;
        string[] rows = text.Split('\n').SkipWhile(l => !l.StartsWith("Inputs:", StringComparison.Ordinal)).Skip(3).TakeWhile(l => l.Trim().Length > 0).ToArray();
        Assert.StartsWith("0-3 ", Assert.Single(rows).Trim());
        Assert.Equal(4, JsonNode.Parse(Cli.Ok("inspect", blob, "--json").Out)!["inputs"]!.AsArray().Count);
    }

    [Fact]
    public void JsonListsLayersInputsClassesAndTotals()
    {
        JsonObject json = JsonNode.Parse(Cli.Ok("inspect", iris.Blob, "--json").Out)!.AsObject();
        Model model = Model.Load(File.ReadAllBytes(iris.Blob));

        Assert.True((bool)json["self_test"]!);
        Assert.Equal(new FileInfo(iris.Blob).Length, (int)json["blob_bytes"]!);
        Assert.Equal(model.WeightBytes, (int)json["weights_bytes"]!);
        Assert.Equal(model.ArenaBytes, (int)json["arena_bytes"]!);
        Assert.Equal(model.Macs, (long)json["macs"]!);
        Assert.Equal((int)json["weights_bytes"]! + (int)json["arena_bytes"]! + (int)json["runtime_objects_bytes"]!, (int)json["device_ram_bytes"]!);
        Assert.True((int)json["runtime_objects_bytes"]! > 0);
        Assert.Contains("estimate", (string)json["device_ram_note"]!);

        JsonArray layers = json["layers"]!.AsArray();
        Assert.Equal(["FullyConnected", "FullyConnected"], layers.Select(l => (string)l!["op"]!));
        JsonObject first = layers[0]!.AsObject();
        Assert.Equal("[[1,1,1,4]]", first["input_shapes"]!.ToJsonString());
        Assert.Equal("[1,1,1,8]", first["output_shape"]!.ToJsonString());
        Assert.Equal(32, (long)first["macs"]!);
        Assert.Contains((string)first["weight_layout"]!, new[] { "Int8Rows", "Int64Pairs" });
        Assert.True(first["parameters"]!.AsObject().ContainsKey("outputZeroPoint"));
        Assert.True(first["parameters"]!.AsObject().ContainsKey("activationMin"));
        Assert.Equal(model.Macs, layers.Sum(l => (long)l!["macs"]!));

        JsonArray inputs = json["inputs"]!.AsArray();
        Assert.Equal(4, inputs.Count);
        Assert.All(inputs, f => Assert.True(f!.AsObject().ContainsKey("unit_exponent") && (double)f["scale"]! > 0));
        Assert.Equal(IrisArtifacts.Classes, json["classes"]!.AsArray().Select(c => (string)c!));
    }

    [Fact]
    public void TextShowsTotalsInputsAndLayers()
    {
        string text = Cli.Ok("inspect", iris.Blob).Out;
        Assert.Contains("self-test passes", text);
        Assert.Contains("device RAM (est.)", text);
        Assert.Contains("Inputs:", text);
        Assert.Contains("10^", text);
        Assert.Contains("Layers:", text);
        Assert.Contains("FullyConnected", text);
        Assert.Contains("outputZeroPoint=", text);
        Assert.Contains("0 setosa, 1 versicolor, 2 virginica", text);
    }

    /// <summary>
    /// quantize --weights streamed: every dense layer keeps its weights in the blob; inspect shows the layout, the bytes left
    /// in flash, the shared row buffer and each layer's RAM (its parameters only). --weights ram with no budget keeps them in RAM.
    /// </summary>
    [Fact]
    public void StreamedWeightsShowAsFlashNotRam()
    {
        using var folder = new TempFolder();
        string streamed = folder.File("streamed.qem"), inRam = folder.File("ram.qem");
        string summary = Cli.Ok("quantize", iris.Onnx, "--calibration", Cli.Data("iris_train.csv"), "--out", streamed, "--weights", "streamed").Out;
        Assert.Contains("0 B in RAM (56 B more streamed from flash through a 64 B row buffer)", summary);
        Cli.Ok("quantize", iris.Onnx, "--calibration", Cli.Data("iris_train.csv"), "--out", inRam, "--weights", "ram", "--ram-budget", "0");

        JsonObject json = JsonNode.Parse(Cli.Ok("inspect", streamed, "--json").Out)!.AsObject();
        Assert.Equal(0, (int)json["weights_bytes"]!);
        Assert.Equal(4 * 8 + 8 * 3, (int)json["streamed_weight_bytes"]!);
        // 8 rows of 8 bytes, plus the headers of 9 arrays and one object: a small layer pays mostly headers.
        Assert.InRange((int)json["stream_buffer_bytes"]!, 8 * 8, 8 * 8 + 400);
        JsonArray layers = json["layers"]!.AsArray();
        Assert.Equal(["Streamed", "Streamed"], layers.Select(l => (string)l!["weight_layout"]!));
        Assert.Equal([32, 24], layers.Select(l => (int)l!["streamed_weight_bytes"]!));
        Assert.All(layers, l => Assert.True((int)l!["ram_bytes"]! > 0));

        JsonObject ram = JsonNode.Parse(Cli.Ok("inspect", inRam, "--json").Out)!.AsObject();
        Assert.Equal(["Int8Rows", "Int8Rows"], ram["layers"]!.AsArray().Select(l => (string)l!["weight_layout"]!));
        Assert.Equal(0, (int)ram["stream_buffer_bytes"]!);
        Assert.Equal(4 * 8 + 8 * 3, (int)ram["weights_bytes"]!);
        // For so small a model the row buffer's headers cost more than its 56 weight bytes: the compiler streams only what does not fit.
        Assert.True((int)ram["device_ram_bytes"]! < (int)json["device_ram_bytes"]!);
        Assert.Contains("32 (flash)", Cli.Ok("inspect", streamed).Out);
    }

    /// <summary>quantize --board takes the RAM budget from the board (its heap less node pack's headroom) and says so; not with --ram-budget.</summary>
    [Fact]
    public void TheBoardSetsTheRamBudget()
    {
        using var folder = new TempFolder();
        string blob = folder.File("board.qem");
        string summary = Cli.Ok("quantize", iris.Onnx, "--calibration", Cli.Data("iris_train.csv"), "--out", blob, "--board", "lolin-d32").Out;
        Assert.Contains("RAM budget for the model: 59,250 B (lolin-d32's 79,000 B heap less 19,750 B headroom)", summary);

        CliResult both = Cli.Run("quantize", iris.Onnx, "--calibration", Cli.Data("iris_train.csv"), "--out", blob, "--board", "lolin-d32", "--ram-budget", "1000");
        Assert.NotEqual(0, both.Exit);
        Assert.Contains("--board and --ram-budget: give one of them", both.Err);
    }
}
