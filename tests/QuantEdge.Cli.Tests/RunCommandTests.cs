using System.Globalization;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Runtime;

namespace QuantEdge.Cli.Tests;

[Collection(IrisCollection.Name)]
public class RunCommandTests(IrisArtifacts iris)
{
    [Fact]
    public void PrintsAHeaderAndOnePredictionPerRow_AsTheDeviceRunnerComputesIt()
    {
        string[] lines = Cli.Ok("run", iris.Blob, "--data", Cli.Data("iris_test.csv")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Dataset data = Dataset.Load(Cli.Data("iris_test.csv"));
        Model model = Model.Load(File.ReadAllBytes(iris.Blob));

        Assert.Equal("predicted,setosa,versicolor,virginica", lines[0]);
        Assert.Equal(data.Count + 1, lines.Length);
        for (int r = 0; r < data.Count; r++)
        {
            string[] cells = lines[r + 1].Split(',');
            Prediction expected = DeviceRunner.Run(model, data.Features[r]);
            Assert.Equal(expected.Class, int.Parse(cells[0], CultureInfo.InvariantCulture));
            Assert.Equal(expected.Outputs.Select(v => (float)v), cells[1..].Select(c => float.Parse(c, CultureInfo.InvariantCulture)));
        }
    }

    [Fact]
    public void RowsWithoutALabelColumnRunToo()
    {
        using var folder = new TempFolder();
        string csv = folder.Write("unlabelled.csv", "a,b,c,d\n5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n");
        string[] lines = Cli.Ok("run", iris.Blob, "--data", csv).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("0,", lines[1]);
        Assert.StartsWith("2,", lines[2]);
    }
}
