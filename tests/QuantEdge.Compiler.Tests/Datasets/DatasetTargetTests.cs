using QuantEdge.Compiler.Data;

namespace QuantEdge.Compiler.Tests.Datasets;

/// <summary>A regression's target columns: read as numbers, left out of the features, named in errors.</summary>
public sealed class DatasetTargetTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("quantedge-data-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Csv(string text)
    {
        string path = Path.Combine(folder, "rows.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void TargetsAreLeftOutOfTheFeaturesInTheirOwnOrder()
    {
        Dataset data = Dataset.LoadWithTargets(Csv("a,y2,b,y1\n1,20,2,10\n3,40,4,30\n"), ["y1", "y2"]);

        Assert.Equal(["a", "b"], data.FeatureNames);
        Assert.Equal([[1f, 2f], [3f, 4f]], data.Features);
        Assert.Equal([[10f, 20f], [30f, 40f]], data.Targets!);
        Assert.Equal(["y1", "y2"], data.TargetNames);
        Assert.Null(data.Labels);
        Assert.Equal([[10f, 20f]], data.Take(1).Targets!);
    }

    [Fact]
    public void AMissingOrNonNumericTargetNamesTheFileLineAndColumn()
    {
        var missing = Assert.Throws<InputFileException>(() => Dataset.LoadWithTargets(Csv("a,y\n1,2\n"), ["z"]));
        var text = Assert.Throws<InputFileException>(() => Dataset.LoadWithTargets(Csv("a,y\n1,2\n3,high\n"), ["y"]));

        Assert.EndsWith("rows.csv: no target column 'z' in the header (columns: a, y); name the targets with --label", missing.Message);
        Assert.Contains("rows.csv:3: column 2 ('y'): 'high'", text.Message);
    }

    [Fact]
    public void AnomalyLabelsAreZeroOrOne()
    {
        Dataset ok = Dataset.Load(Csv("a,label\n1,0\n2,1\n"));
        Dataset bad = Dataset.Load(Csv("a,label\n1,0\n2,2\n"));

        ok.RequireAnomalyLabels();
        var error = Assert.Throws<InputFileException>(bad.RequireAnomalyLabels);
        Assert.EndsWith("rows.csv:3: column 2 ('label'): label 2 is neither 0 (normal) nor 1 (anomaly)", error.Message);
    }
}
