using System.CommandLine;
using QuantEdge.Cli.Output;
using QuantEdge.Compiler;
using QuantEdge.Compiler.Deployment;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Runtime.Format;

namespace QuantEdge.Cli.Commands;

/// <summary>
/// <c>quantedge export</c>: a blob as a QDQ ONNX graph that ONNX Runtime runs, as resources to embed in a
/// nanoFramework app, or as nanoff's file-deployment JSON that puts it on the device's I:\ drive.
/// </summary>
public static class ExportCommand
{
    public const string DefaultNamespace = "QuantEdge.Firmware";

    /// <summary>The file names of the embedded model and node configuration under Resources/.</summary>
    public const string ModelResourceFile = "model.qem", NodeResourceFile = "node.bin";

    public static Command Create(CliContext context)
    {
        var model = CommonOptions.Model("The model blob (.qem) written by 'quantedge quantize'.");
        var onnx = new Option<string?>("--onnx-qdq") { Description = "Write the model as a QDQ ONNX graph to this file (- for standard output).", HelpName = "OUT.onnx" };
        var arithmetic = CommonOptions.Choice("--arithmetic",
            "With --onnx-qdq. device: the graph computes exactly what the device computes (integer sums, " +
            "the runtime's rounding), so ONNX Runtime's outputs equal QuantEdge's; float: canonical QDQ (QuantizeLinear/" +
            "DequantizeLinear around float ops), which ONNX Runtime may fuse into its own int8 kernels and which differs from " +
            "the device by a step now and then (docs/qdq-export.md).",
            "device", "float");
        var resx = new Option<string?>("--resx")
        {
            Description = "Write into this existing folder what a nanoFramework project needs to embed the model (and with --node " +
                "the node configuration) as binary resources: Resources.resx, Resources.Designer.cs (as Visual Studio's " +
                "nFResXFileCodeGenerator writes it: Resources.GetBytes(Resources.BinaryResources.model)) and the files under " +
                "Resources/. Pass the firmware's project folder, e.g. src/QuantEdge.Firmware, and rebuild it.",
            HelpName = "DIR",
        };
        var rootNamespace = new Option<string?>("--namespace")
        {
            Description = $"With --resx: the project's RootNamespace (default {DefaultNamespace}); the resources are looked up as NS.Resources.",
            HelpName = "NS",
        };
        var deployJson = new Option<string?>("--deploy-json")
        {
            Description = $@"Write nanoff's file-deployment JSON that copies the model to {FileDeployment.ModelDevicePath} (and with --node " +
                $@"node.bin to {FileDeployment.NodeDevicePath}), where the sensor-node firmware looks before its embedded resources. " +
                "Run it with 'nanoff --filedeployment OUT.json --serialport PORT' (- writes the JSON to standard output).",
            HelpName = "OUT.json",
        };
        var node = new Option<string?>("--node")
        {
            Description = "With --resx or --deploy-json: also embed or deploy this node configuration (written by 'quantedge node pack').",
            HelpName = "node.bin",
        };
        var port = new Option<string?>("--port")
        {
            Description = "With --deploy-json: the device's serial port (COM5, /dev/ttyUSB0), stored in the JSON as \"serialport\".",
            HelpName = "PORT",
        };
        var command = new Command("export",
            "Export a quantized model: as an ONNX graph in QDQ form (int8 weights, int32 biases, QuantizeLinear/DequantizeLinear) " +
            "to run it in ONNX Runtime or inspect it in an ONNX viewer; as resources to embed in a nanoFramework app; or as " +
            "nanoff's file-deployment JSON, to swap the model on a device without rebuilding the app. Give at least one of " +
            "--onnx-qdq, --resx, --deploy-json. No input file is ever overwritten, and the files are written all or none.\n\n" +
            "Example:\n" +
            "  quantedge export model.qem --onnx-qdq model.qdq.onnx\n" +
            "  quantedge export model.qem --node node.bin --resx src/QuantEdge.Firmware\n" +
            "  quantedge export model.qem --node node.bin --deploy-json deploy.json --port /dev/ttyUSB0")
        {
            model, onnx, arithmetic, resx, rootNamespace, deployJson, node, port,
        };
        command.SetAction(parse => context.Execute(() =>
        {
            string modelPath = parse.GetValue(model)!;
            string? onnxPath = parse.GetValue(onnx), resxFolder = parse.GetValue(resx), jsonPath = parse.GetValue(deployJson);
            string? nodePath = parse.GetValue(node), serialPort = parse.GetValue(port), ns = parse.GetValue(rootNamespace);
            CheckOptionCombination(onnxPath, resxFolder, jsonPath, nodePath, serialPort, ns);
            var outputs = new OutputPlan(context);
            PlannedOutput? onnxFile = onnxPath is null ? null : outputs.File(onnxPath, "--onnx-qdq", stream: true);
            PlannedOutput? jsonFile = jsonPath is null ? null : outputs.File(jsonPath, "--deploy-json", stream: true);
            Dictionary<string, PlannedOutput>? resxFiles = resxFolder is null ? null : PlanResources(outputs, resxFolder, nodePath is not null);
            outputs.Input(modelPath, nodePath);

            (byte[] blob, _) = InputFiles.LoadBlob(modelPath);
            byte[]? nodeBin = nodePath is null ? null : ReadNodeBin(nodePath);
            var report = new List<string>();
            if (onnxFile is not null)
            {
                QdqArithmetic mode = CommonOptions.ParseChoice<QdqArithmetic>(parse.GetValue(arithmetic)!);
                byte[] graph;
                try
                {
                    graph = QdqExporter.Export(blob, mode);
                }
                catch (NotSupportedException e)
                {
                    throw new CliException($"{modelPath}: cannot export as QDQ: {e.Message}");
                }

                onnxFile.Set(graph);
                report.Add($"wrote {onnxFile.Shown} ({CommonOptions.Bytes(graph.Length)} bytes, {mode.ToString().ToLowerInvariant()} arithmetic)");
            }

            if (resxFiles is not null)
            {
                AddResources(resxFiles, ns ?? DefaultNamespace, blob, nodeBin, report);
            }

            if (jsonFile is not null)
            {
                var files = new List<DeployedFile> { new(FileDeployment.ModelDevicePath, Path.GetFullPath(modelPath)) };
                if (nodePath is not null)
                {
                    files.Add(new(FileDeployment.NodeDevicePath, Path.GetFullPath(nodePath)));
                }

                jsonFile.SetText(FileDeployment.Json(files, serialPort));
                report.Add($"wrote {jsonFile.Shown} ({string.Join(", ", files.Select(f => f.DevicePath))}); deploy with: " +
                    $"nanoff --filedeployment {(jsonFile.IsStdout ? "OUT.json" : jsonFile.Path)}{(serialPort is null ? " --serialport PORT" : "")}");
            }

            outputs.Commit();
            foreach (string line in report)
            {
                outputs.Messages.WriteLine(line);
            }
        }));
        return command;
    }

    /// <summary>The files --resx writes, planned by their path relative to the project folder.</summary>
    private static Dictionary<string, PlannedOutput> PlanResources(OutputPlan outputs, string folder, bool withNode)
    {
        PlannedFolder project = outputs.Folder(folder, "--resx", create: false);
        PlannedFolder resources = project.Folder(ResxWriter.ResourcesFolder);
        var files = new Dictionary<string, PlannedOutput>(StringComparer.Ordinal)
        {
            [ResxWriter.ResxFileName] = project.File(ResxWriter.ResxFileName),
            [ResxWriter.DesignerFileName] = project.File(ResxWriter.DesignerFileName),
            [$"{ResxWriter.ResourcesFolder}/{ModelResourceFile}"] = resources.File(ModelResourceFile),
        };
        if (withNode)
        {
            files[$"{ResxWriter.ResourcesFolder}/{NodeResourceFile}"] = resources.File(NodeResourceFile);
        }

        return files;
    }

    private static void CheckOptionCombination(string? onnxPath, string? resxFolder, string? jsonPath, string? nodePath, string? serialPort, string? ns)
    {
        if (onnxPath is null && resxFolder is null && jsonPath is null)
        {
            throw new CliException("nothing to export: give --onnx-qdq, --resx or --deploy-json (see 'quantedge export --help')");
        }

        if (nodePath is not null && resxFolder is null && jsonPath is null)
        {
            throw new CliException("--node goes with --resx or --deploy-json (see 'quantedge export --help')");
        }

        if (ns is not null && resxFolder is null)
        {
            throw new CliException("--namespace goes with --resx (see 'quantedge export --help')");
        }

        if (serialPort is not null && jsonPath is null)
        {
            throw new CliException("--port goes with --deploy-json (see 'quantedge export --help')");
        }

        if (serialPort is not null && string.IsNullOrWhiteSpace(serialPort))
        {
            throw new CliException("--port: the serial port name is empty");
        }
    }

    private static void AddResources(Dictionary<string, PlannedOutput> planned, string ns, byte[] blob, byte[]? nodeBin, List<string> report)
    {
        var resources = new List<BinaryResource> { new("model", ModelResourceFile, blob) };
        if (nodeBin is not null)
        {
            resources.Add(new("node", NodeResourceFile, nodeBin));
        }

        IReadOnlyList<ProjectFile> files;
        try
        {
            files = ResxWriter.ProjectFiles(ns, resources);
        }
        catch (ArgumentException e)
        {
            throw new CliException($"--namespace: {e.Message}");
        }

        foreach (ProjectFile file in files)
        {
            PlannedOutput output = planned[file.RelativePath];
            output.Set(file.Bytes);
            report.Add(file.RelativePath switch
            {
                ResxWriter.DesignerFileName => $"wrote {output.Path} (namespace {ns}: " +
                    string.Join(", ", resources.Select(r => $"BinaryResources.{r.Name} = {NanoResourceId.FromName(r.Name)}")) + ")",
                ResxWriter.ResxFileName => $"wrote {output.Path}",
                _ => $"wrote {output.Path} ({CommonOptions.Bytes(file.Bytes.Length)} bytes)",
            });
        }

        report.Add("the project needs (once): <EmbeddedResource Include=\"Resources.resx\" />, <Compile Include=\"Resources.Designer.cs\" />, " +
            string.Join(", ", resources.Select(r => $"<None Include=\"Resources\\{r.FileName}\" />")) +
            " and a reference to nanoFramework.ResourceManager (README, 'Flashing and deployment')");
    }

    /// <summary>
    /// A node.bin's header checked as far as the host can without the model's wiring: magic, major version, length
    /// and CRC (docs/node-format.md), so that a node.json or a truncated copy is refused here and not on the device.
    /// </summary>
    private static byte[] ReadNodeBin(string path)
    {
        byte[] bytes = InputFiles.ReadBytes(path, HostLimits.MaxConfigBytes, "a node.bin");
        const int HeaderBytes = 60;
        if (bytes.Length < HeaderBytes || bytes[0] != (byte)'Q' || bytes[1] != (byte)'E' || bytes[2] != (byte)'N' || bytes[3] != (byte)'1')
        {
            throw new CliException($"{path}: not a node.bin (no 'QEN1' header; write it with 'quantedge node pack')");
        }

        int major = BitConverter.ToUInt16(bytes, 4);
        int length = BitConverter.ToInt32(bytes, 8);
        uint crc = BitConverter.ToUInt32(bytes, 12);
        if (major != 1)
        {
            throw new CliException($"{path}: node.bin format version {major} is not supported (this tool reads version 1)");
        }

        if (length != bytes.Length)
        {
            throw new CliException($"{path}: the header says {length} bytes but the file has {bytes.Length}");
        }

        if (Crc32.Compute(bytes, 16, length - 16) != crc)
        {
            throw new CliException($"{path}: CRC mismatch (the file is corrupted)");
        }

        return bytes;
    }
}
