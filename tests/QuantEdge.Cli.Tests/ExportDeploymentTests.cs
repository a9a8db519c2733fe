namespace QuantEdge.Cli.Tests;

/// <summary>
/// <c>export --deploy-json</c> writes nanoff's file-deployment JSON; and every bad input to the deployment exports
/// (--resx, --deploy-json, --node, --namespace, --port) is one line on stderr, exit 2, and no file written.
/// </summary>
[Collection(IrisCollection.Name)]
public sealed class ExportDeploymentTests(IrisArtifacts iris) : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static string Json(string text) => text.Replace("\\", "\\\\");

    [Fact]
    public void WritesTheModelAndNodeDeploymentWithTheSerialPort()
    {
        string node = folder.Write("node.bin", NodeBin.Create(inputs: 4));
        string target = folder.File("deploy.json");
        CliResult result = Cli.Ok("export", iris.Blob, "--node", node, "--deploy-json", target, "--port", "COM5");
        Assert.Equal($"wrote {target} (I:\\model.qem, I:\\node.bin); deploy with: nanoff --filedeployment {target}\n", result.Out.ReplaceLineEndings("\n"));
        Assert.Equal($$"""
            {
              "serialport": "COM5",
              "files": [
                {
                  "DestinationFilePath": "I:\\model.qem",
                  "SourceFilePath": "{{Json(Path.GetFullPath(iris.Blob))}}"
                },
                {
                  "DestinationFilePath": "I:\\node.bin",
                  "SourceFilePath": "{{Json(Path.GetFullPath(node))}}"
                }
              ]
            }

            """.ReplaceLineEndings("\n"), File.ReadAllText(target));
    }

    [Fact]
    public void WithoutAPortOrNodeTheJsonHasTheModelOnly()
    {
        string target = folder.File("deploy.json");
        CliResult result = Cli.Ok("export", iris.Blob, "--deploy-json", target);
        Assert.Contains("nanoff --filedeployment " + target + " --serialport PORT", result.Out);
        Assert.Equal($$"""
            {
              "files": [
                {
                  "DestinationFilePath": "I:\\model.qem",
                  "SourceFilePath": "{{Json(Path.GetFullPath(iris.Blob))}}"
                }
              ]
            }

            """.ReplaceLineEndings("\n"), File.ReadAllText(target));
    }

    [Fact]
    public void AllThreeExportsInOneRun()
    {
        string project = Directory.CreateDirectory(folder.File("project")).FullName;
        Cli.Ok("export", iris.Blob, "--onnx-qdq", folder.File("m.onnx"), "--resx", project, "--deploy-json", folder.File("d.json"));
        Assert.True(File.Exists(folder.File("m.onnx")));
        Assert.True(File.Exists(Path.Combine(project, "Resources", "model.qem")));
        Assert.True(File.Exists(folder.File("d.json")));
    }

    // Bad inputs. Each case gets a fresh project folder (created, empty) and may name files in the test folder.

    public static TheoryData<string, string[], string[]> BadInputs() => new()
    {
        { "no export given", ["{model}"], ["nothing to export", "--resx"] },
        { "missing model", ["{folder}/missing.qem", "--resx", "{project}"], ["missing.qem", "file not found"] },
        { "bad model", ["{folder}/broken.qem", "--resx", "{project}"], ["broken.qem"] },
        { "missing resx folder", ["{model}", "--resx", "{folder}/nowhere"], ["nowhere", "does not exist"] },
        { "namespace not an identifier", ["{model}", "--resx", "{project}", "--namespace", "1st.App"], ["--namespace", "1st.App"] },
        { "namespace is a keyword", ["{model}", "--resx", "{project}", "--namespace", "My.class"], ["--namespace", "My.class"] },
        { "namespace without resx", ["{model}", "--deploy-json", "{folder}/d.json", "--namespace", "My.App"], ["--namespace goes with --resx"] },
        { "node without a target", ["{model}", "--onnx-qdq", "{folder}/m.onnx", "--node", "{folder}/node.bin"], ["--node goes with"] },
        { "port without deploy-json", ["{model}", "--resx", "{project}", "--port", "COM5"], ["--port goes with --deploy-json"] },
        { "missing node", ["{model}", "--resx", "{project}", "--node", "{folder}/nonode.bin"], ["nonode.bin", "file not found"] },
        { "node.json for node.bin", ["{model}", "--resx", "{project}", "--node", "{folder}/node.json"], ["node.json", "not a node.bin"] },
        { "truncated node", ["{model}", "--deploy-json", "{folder}/d.json", "--node", "{folder}/short.bin"], ["short.bin", "header says"] },
        { "corrupted node", ["{model}", "--deploy-json", "{folder}/d.json", "--node", "{folder}/flipped.bin"], ["flipped.bin", "CRC"] },
        { "deploy-json folder missing", ["{model}", "--resx", "{project}", "--deploy-json", "{folder}/nowhere/d.json"], ["d.json", "does not exist"] },
        { "deploy-json over the model", ["{model}", "--deploy-json", "{model}"], ["input file", "refusing to overwrite"] },
        { "deploy-json over node.bin", ["{model}", "--deploy-json", "{folder}/node.bin", "--node", "{folder}/node.bin"], ["node.bin", "refusing to overwrite"] },
        { "two outputs, one file", ["{model}", "--resx", "{project}", "--onnx-qdq", "{project}/Resources.resx"], ["same file"] },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputIsOneLineExitTwoAndNothingWritten(string because, string[] arguments, string[] mentions)
    {
        string model = folder.File("model.qem");
        File.Copy(iris.Blob, model);
        string project = Directory.CreateDirectory(folder.File("project")).FullName;
        byte[] node = NodeBin.Create(inputs: 4);
        folder.Write("node.bin", node);
        folder.Write("node.json", """{ "samplePeriodMs": 2000 }""");
        folder.Write("broken.qem", [1, 2, 3, 4]);
        folder.Write("short.bin", node[..^4]);
        byte[] flipped = (byte[])node.Clone();
        flipped[^1] ^= 1;
        folder.Write("flipped.bin", flipped);
        var before = Snapshot();

        string[] args = ["export", .. arguments.Select(a => a.Replace("{model}", model).Replace("{project}", project).Replace("{folder}", folder.Path))];
        CliResult result = Cli.Run(args);

        Assert.True(result.Exit == 2, $"{because}: exit {result.Exit}, stderr: {result.Err}");
        Assert.Single(result.ErrLines);
        Assert.StartsWith("error: ", result.Err);
        Assert.All(mentions, mention => Assert.Contains(mention, result.Err));
        Assert.Equal("", result.Out);
        Assert.Equal(before, Snapshot());
    }

    /// <summary>The model exported into the folder it was read from: refused, the input left as it was.</summary>
    [Fact]
    public void NeverOverwritesTheInputModelWithItsOwnResourceCopy()
    {
        string project = Directory.CreateDirectory(folder.File("project")).FullName;
        Directory.CreateDirectory(Path.Combine(project, "Resources"));
        string model = Path.Combine(project, "Resources", "model.qem");
        File.Copy(iris.Blob, model);
        var before = Snapshot();
        CliResult result = Cli.Run("export", model, "--resx", project);
        Assert.Equal(2, result.Exit);
        Assert.Single(result.ErrLines);
        Assert.Contains("refusing to overwrite", result.Err);
        Assert.Equal(before, Snapshot());
    }

    /// <summary>Every file under the test folder with its content, to show a failed run changed nothing.</summary>
    private SortedDictionary<string, string> Snapshot() => new(
        Directory.GetFileSystemEntries(folder.Path, "*", SearchOption.AllDirectories).ToDictionary(
            path => Path.GetRelativePath(folder.Path, path),
            path => File.Exists(path) ? Convert.ToHexString(File.ReadAllBytes(path)) : "<folder>"),
        StringComparer.Ordinal);
}
