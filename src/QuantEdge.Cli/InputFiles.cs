using QuantEdge.Compiler;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Runtime;

namespace QuantEdge.Cli;

/// <summary>
/// Reads the files commands take, turning every problem into a message that names the file, and refusing files
/// past <see cref="HostLimits"/> before reading them.
/// </summary>
public static class InputFiles
{
    /// <summary>A blob's bytes, validated by the device loader.</summary>
    public static (byte[] Blob, Model Model) LoadBlob(string path)
    {
        byte[] blob = ReadBytes(path, HostLimits.MaxBlobBytes, "a model blob");
        try
        {
            return (blob, Model.Load(blob));
        }
        catch (ModelFormatException e)
        {
            throw new CliException($"{path}: {e.Message}");
        }
    }

    /// <summary>
    /// An ONNX model as a float graph; import errors name the file and the node. A graph past the device's or the
    /// host's limits (<see cref="HostLimits.CheckModel"/>) is refused here, before any work on it.
    /// </summary>
    public static ModelGraph LoadOnnx(string path)
    {
        RequireFile(path);
        HostLimits.CheckFileSize(path, HostLimits.MaxOnnxBytes, "an ONNX model");
        ModelGraph graph;
        try
        {
            graph = OnnxImporter.Load(path);
        }
        catch (OnnxImportException e) when (!e.Message.Contains(path, StringComparison.Ordinal))
        {
            throw new CliException($"{path}: {e.Message}");
        }

        HostLimits.CheckModel(graph, path);
        return graph;
    }

    /// <summary>A CSV dataset; with <paramref name="requireLabel"/> false a label column, if present, is still left out of the inputs.</summary>
    public static Dataset LoadCsv(string path, string label, bool requireLabel = true) => Dataset.Load(path, label, requireLabel);

    /// <summary>A CSV dataset whose <paramref name="targets"/> columns are a regression's true values.</summary>
    public static Dataset LoadTargets(string path, string[] targets) => Dataset.LoadWithTargets(path, targets);

    /// <summary>A regression's target columns, from --label: one name or several, comma-separated, each once.</summary>
    public static string[] TargetColumns(string text)
    {
        string[] names = text.Split(',').Select(n => n.Trim()).ToArray();
        if (names.Any(n => n.Length == 0) || names.Distinct(StringComparer.Ordinal).Count() != names.Length)
        {
            throw new CliException($"--label '{text}': give the target columns' names separated by commas, each once");
        }

        return names;
    }

    /// <summary>
    /// The rows a command runs a model of <paramref name="task"/> on. A classifier's or an anomaly score's
    /// <paramref name="label"/> column holds integer labels; a regression's targets are the columns --label names
    /// (comma-separated), or by default the model's output names. With <paramref name="required"/> false a file
    /// without them is read as features only (the columns are still left out of the features when present).
    /// </summary>
    public static Dataset LoadFor(ModelTask task, string path, string label, bool labelGiven, IReadOnlyList<string?> outputNames, bool required)
    {
        if (task != ModelTask.Regression)
        {
            return LoadCsv(path, label, required);
        }

        string[] targets = labelGiven || outputNames.Any(string.IsNullOrEmpty) ? TargetColumns(label) : outputNames.Select(n => n!).ToArray();
        string[] columns = Dataset.ReadColumns(path);
        if (!required && targets.Any(t => !columns.Contains(t)))
        {
            return Dataset.Load(path, null, requireLabel: false);
        }

        return LoadTargets(path, targets);
    }

    /// <summary>
    /// The rows a command runs the blob <paramref name="model"/> on (<see cref="LoadFor"/> by the task the blob records),
    /// checked against it: one feature per input; a classifier's labels are its classes, an anomaly model's 0 or 1, and a
    /// regression has one target column per output.
    /// </summary>
    public static Dataset LoadFor(Model model, string modelPath, string path, string label, bool labelGiven, bool required)
    {
        string?[] names = Enumerable.Range(0, model.OutputLength).Select(model.GetOutputName).ToArray();
        Dataset rows = LoadFor(model.Task, path, label, labelGiven, names, required);
        rows.RequireFeatureCount(model.InputLength, modelPath);
        if (model.Task == ModelTask.Anomaly)
        {
            rows.RequireAnomalyLabels();
        }
        else
        {
            rows.RequireLabelsBelow(model.OutputLength, modelPath);
        }

        if (rows.Targets != null && rows.TargetNames.Length != model.OutputLength)
        {
            throw new CliException($"--label: {rows.TargetNames.Length} target columns ({string.Join(", ", rows.TargetNames)}), but {modelPath} has {model.OutputLength} outputs");
        }

        return rows;
    }

    /// <summary>A node or board file checked to be within <see cref="HostLimits.MaxConfigBytes"/> when it exists; returns the path.</summary>
    public static string CheckedConfig(string path)
    {
        if (File.Exists(path))
        {
            HostLimits.CheckFileSize(path, HostLimits.MaxConfigBytes, "a node or board file");
        }

        return path;
    }

    /// <summary>A file's bytes, refused past <paramref name="limit"/> bytes (<paramref name="what"/> names the kind of file).</summary>
    public static byte[] ReadBytes(string path, long limit, string what)
    {
        RequireFile(path);
        HostLimits.CheckFileSize(path, limit, what);
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{path}: {e.Message}");
        }
    }

    private static void RequireFile(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new CliException("a file name is empty");
        }

        if (Directory.Exists(path))
        {
            throw new CliException($"{path}: is a folder, not a file");
        }

        if (!File.Exists(path))
        {
            throw new CliException($"{path}: file not found");
        }
    }
}
