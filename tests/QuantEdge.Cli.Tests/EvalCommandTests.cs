using System.Text.Json.Nodes;
using QuantEdge.Runtime;

namespace QuantEdge.Cli.Tests;

[Collection(IrisCollection.Name)]
public class EvalCommandTests(IrisArtifacts iris)
{
    [Fact]
    public void JsonHasTheContractFields()
    {
        CliResult result = Cli.Ok("eval", iris.Blob, "--data", Cli.Data("iris_test.csv"), "--json");
        JsonObject json = JsonNode.Parse(result.Out)!.AsObject();
        Model model = Model.Load(File.ReadAllBytes(iris.Blob));
        Assert.Equal(45, (int)json["samples"]!);
        Assert.InRange((double)json["int8_accuracy"]!, 0.7, 1);
        Assert.Equal(new FileInfo(iris.Blob).Length, (long)json["blob_bytes"]!);
        Assert.Equal(model.ArenaBytes, (int)json["arena_bytes"]!);
        Assert.Equal(model.Macs, (long)json["macs"]!);
        Assert.False(json.ContainsKey("float_accuracy"));
        Assert.False(json.ContainsKey("agreement"));
    }

    [Fact]
    public void WithAReferenceJsonAddsFloatAccuracyAgreementAndConfusion()
    {
        CliResult result = Cli.Ok("eval", iris.Blob, "--data", Cli.Data("iris_test.csv"), "--reference", iris.Onnx, "--json");
        JsonObject json = JsonNode.Parse(result.Out)!.AsObject();
        Assert.InRange((double)json["float_accuracy"]!, 0.7, 1);
        Assert.InRange((double)json["agreement"]!, 0.8, 1);
        JsonArray confusion = json["confusion"]!.AsArray();
        Assert.Equal(3, confusion.Count);
        Assert.Equal(45, confusion.Sum(row => row!.AsArray().Sum(v => (int)v!)));
    }

    [Fact]
    public void TableShowsAccuracyAndSizes()
    {
        CliResult result = Cli.Ok("eval", iris.Blob, "--data", Cli.Data("iris_test.csv"), "--reference", iris.Onnx);
        Assert.Contains("accuracy", result.Out);
        Assert.Contains("agreement", result.Out);
        Assert.Contains("arena (activations)", result.Out);
        Assert.Contains("(45 rows)", result.Out);
    }

    [Fact]
    public void WithAReferenceTheTableShowsTheConfusionMatrixAsHelpSays()
    {
        CliResult result = Cli.Ok("eval", iris.Blob, "--data", Cli.Data("iris_test.csv"), "--reference", iris.Onnx);
        Assert.Contains("confusion matrix", Cli.Ok("eval", "--help").Out);
        string[] lines = result.Out.Split('\n');
        int header = Array.FindIndex(lines, l => l.StartsWith("confusion", StringComparison.Ordinal));
        Assert.True(header > 0, result.Out);
        Assert.Contains("0 setosa", lines[header + 1]);
        int total = lines.Skip(header + 3).Take(3).Sum(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(2).Sum(int.Parse));
        Assert.Equal(45, total);
        Assert.DoesNotContain("confusion", Cli.Ok("eval", iris.Blob, "--data", Cli.Data("iris_test.csv")).Out);
    }
}
