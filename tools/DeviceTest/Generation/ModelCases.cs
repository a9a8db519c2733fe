using QuantEdge.Bench;
using QuantEdge.Cli.Commands;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.Quantization;
using QuantEdge.Compiler.Training;
using QuantEdge.Runtime;
using QuantEdge.Runtime.Kernels;
using QuantEdge.Compiler.Tests;
using QuantEdge.Runtime.Tests;

namespace QuantEdge.DeviceTest.Generation;

/// <summary>
/// The whole models the device tests load from resources, each with rows of raw inputs and the int8
/// outputs the .NET build of the runtime computes for them (the device must compute the same bits).
/// </summary>
public static class ModelCases
{
    /// <summary>A model: its blob and the rows checked against it (its description is in <see cref="Descriptions"/>).</summary>
    public sealed record Case(string Name, byte[] Blob, int[][] RawRows);

    /// <summary>Rows of the bench CNN's test inputs (290k MACs each on the interpreter).</summary>
    public const int CnnRows = 50;

    /// <summary>The RAM budget of the CNN quantized to fit 20 KB (issue 10), and the rows it is checked on.</summary>
    public const int CnnSmallRamBudget = 20_000;

    public const int CnnSmallRamRows = 20;

    /// <summary>Rows of generated raw inputs for the small test models.</summary>
    public const int TestModelRows = 50;

    /// <summary>Calibration rows for the bench CNN (the benchmark itself uses 10,000; fewer keep regeneration quick).</summary>
    public const int CnnCalibrationRows = 1000;

    private static readonly string[] RowArrays = ["raw_input", "expected_output"];

    /// <summary>What each model is, by name (the device benchmark's report uses these too).</summary>
    public static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        ["DemoMlp"] = "the demo's segment MLP (19 → 32 → 16 → 7), quantized as `quantedge demo` does",
        ["IrisMlp"] = "the firmware's sample node model (data/models/iris-mlp.onnx, 4 → 8 → 3), as src/QuantEdge.Firmware embeds it",
        ["Cnn"] = "the host benchmarks' CNN 28×28 (conv 3×3 1→8, max pool, conv 3×3 8→16, max pool, dense 784→10)",
        ["CnnSmallRam"] = "the same CNN quantized with `--ram-budget 20000`: its dense layer streamed one row at a time (StreamedByRow), the second convolution Int8Rows",
        ["EveryOpInt8Rows"] = "TestModels.EveryOp, Int8Rows: every op of the runtime",
        ["EveryOpInt64Pairs"] = "TestModels.EveryOp, Int64Pairs",
        ["SmallCnnInt64Pairs"] = "TestModels.Cnn, Int64Pairs: conv, depthwise with multiplier 2, dense",
        ["SensorMlp"] = "TestModels.Mlp, Int64Pairs, compact requantization: per-feature raw inputs with offsets",
        ["PetalWidthMlp"] = "the regression example (data/models/petal-width-mlp.onnx, 3 → 8 → 1), quantized as the README does",
        ["NewerOps"] = "TestOnnxModels.NewerOps: Pad, Split, Slice (backwards), Transpose, HardSwish, HardSigmoid, Exp, Neg and Min by a constant as tables, ReduceMean and ReduceSum as global pools, Sub (broadcast), Max and Min, Squeeze and Unsqueeze",
        ["StreamedMlp"] = "a 143k-parameter segment MLP (19 → 512 → 256 → 7, trained as `quantedge train --hidden 512,256 --epochs 10 --seed 1`), every layer's weights streamed (`quantize --weights streamed`)",
        ["RadarAutoencoder"] = "the anomaly example (data/models/radar-autoencoder.onnx, 34 → 16 → 4 → 16 → 34, residual, mean |·|), quantized as the README does",
    };

    public static IEnumerable<Case> All(string repositoryRoot)
    {
        yield return DemoMlp(repositoryRoot);
        yield return Cnn("Cnn", new QuantizeOptions().RamBudgetBytes, CnnRows);
        yield return Cnn("CnnSmallRam", CnnSmallRamBudget, CnnSmallRamRows);
        foreach (WeightLayout layout in new[] { WeightLayout.Int8Rows, WeightLayout.Int64Pairs })
        {
            yield return Generated($"EveryOp{layout}", TestModels.EveryOp(layout));
        }

        yield return Generated("SmallCnnInt64Pairs", TestModels.Cnn(WeightLayout.Int64Pairs));
        yield return Generated("SensorMlp", TestModels.Mlp(features: 5, hidden: 17, classes: 2, layout: WeightLayout.Int64Pairs, scaleGrid: true));
        yield return NewerOps();
        yield return ValueModel(repositoryRoot, "PetalWidthMlp", "petal-width-mlp", "iris_petal", ["petal_width"], ModelTask.Regression);
        yield return ValueModel(repositoryRoot, "RadarAutoencoder", "radar-autoencoder", "ionosphere_anomaly", ["score"], ModelTask.Anomaly);
        yield return StreamedMlp(repositoryRoot);
    }

    /// <summary>Rows of the segment test split the streamed MLP is checked on (142,592 MACs each on the interpreter).</summary>
    public const int StreamedMlpRows = 100;

    /// <summary>
    /// A model whose weights (142,592 bytes) are larger than an ESP32 WROOM's managed heap: trained on the segment data with
    /// hidden layers 512 and 256 (10 epochs keep regeneration quick), quantized with every fully connected layer streamed.
    /// </summary>
    private static Case StreamedMlp(string root)
    {
        Dataset train = Dataset.Load(Path.Combine(root, "data", DemoCommand.TrainFile));
        Dataset test = Dataset.Load(Path.Combine(root, "data", DemoCommand.TestFile));
        TrainedMlp mlp = MlpTrainer.Train(train, new MlpTrainingOptions { HiddenLayers = [512, 256], Epochs = 10, Seed = 1 });
        var graph = OnnxImporter.Load(mlp.ToOnnx());
        byte[] blob = Quantizer.Quantize(graph, train, new QuantizeOptions { ModelName = "segment-512-256", Weights = WeightPlacement.Streamed }).Blob;
        Model model = Model.Load(blob);
        return new Case("StreamedMlp", blob, test.Features.Take(StreamedMlpRows).Select(f => DeviceRunner.RawInputs(model, f)).ToArray());
    }

    /// <summary>The rows file of a case: one record per row, its raw inputs and the expected int8 outputs.</summary>
    public static byte[] Rows(Case c)
    {
        Model model = Model.Load(c.Blob);
        var file = new DataFileWriter([], RowArrays);
        var output = new sbyte[model.OutputLength];
        for (int i = 0; i < c.RawRows.Length; i++)
        {
            model.SetRawInputs(c.RawRows[i]);
            model.Invoke();
            model.GetOutputs(output);
            file.Add("row" + i, [], c.RawRows[i], (sbyte[])output.Clone());
        }

        return file.ToBytes();
    }

    /// <summary>The demo's MLP quantized exactly as `quantedge demo` does, with every row of the held-out test split.</summary>
    private static Case DemoMlp(string root)
    {
        string data = Path.Combine(root, "data");
        var graph = OnnxImporter.Load(Path.Combine(data, "models", DemoCommand.ModelFile));
        Dataset train = Dataset.Load(Path.Combine(data, DemoCommand.TrainFile));
        Dataset test = Dataset.Load(Path.Combine(data, DemoCommand.TestFile));
        byte[] blob = Quantizer.Quantize(graph, train, DemoCommand.Options()).Blob;
        Model model = Model.Load(blob);
        int[][] rows = test.Features.Select(f => DeviceRunner.RawInputs(model, f)).ToArray();
        return new Case("DemoMlp", blob, rows);
    }

    /// <summary>
    /// A regression or anomaly example of data/models quantized on its <c>_train</c> split as <c>quantedge quantize</c> does
    /// (README, "Regression and anomaly models"), with every row of its <c>_test</c> split. Their target or label columns
    /// are left out of the features.
    /// </summary>
    private static Case ValueModel(string root, string name, string file, string data, string[] outputs, ModelTask task)
    {
        var graph = OnnxImporter.Load(Path.Combine(root, "data", "models", file + ".onnx"));
        Dataset Load(string split) => task == ModelTask.Regression
            ? Dataset.LoadWithTargets(Path.Combine(root, "data", $"{data}_{split}.csv"), outputs)
            : Dataset.Load(Path.Combine(root, "data", $"{data}_{split}.csv"));
        // The calibration file's column names, as the README's --feature-names gives the radar model (the petal width
        // model states the same names in its metadata).
        Dataset train = Load("train");
        byte[] blob = Quantizer.Quantize(graph, train, new QuantizeOptions { ModelName = file, OutputNames = outputs, Task = task, FeatureNames = train.FeatureNames }).Blob;
        Model model = Model.Load(blob);
        return new Case(name, blob, Load("test").Features.Select(f => DeviceRunner.RawInputs(model, f)).ToArray());
    }

    /// <summary>The benchmarks' 28×28 CNN (bench/QuantEdge.Bench/BenchModels.cs), quantized with the default options but the RAM budget.</summary>
    private static Case Cnn(string name, int ramBudget, int rowCount)
    {
        BenchModel bench = BenchModel.Cnn();
        var graph = OnnxImporter.Load(bench.Onnx);
        byte[] blob = Quantizer.Quantize(graph, bench.Rows(CnnCalibrationRows, seed: 1), new QuantizeOptions { ModelName = "bench-cnn", RamBudgetBytes = ramBudget }).Blob;
        Model model = Model.Load(blob);
        int[][] rows = bench.Rows(rowCount, seed: 2).Features.Select(f => DeviceRunner.RawInputs(model, f)).ToArray();
        return new Case(name, blob, rows);
    }

    /// <summary>The issue-14 operators' test model, calibrated and checked on generated images in [−2, 2).</summary>
    private static Case NewerOps()
    {
        var graph = OnnxImporter.Load(TestOnnxModels.NewerOps());
        Dataset Rows(int count, int seed)
        {
            var random = new Random(seed);
            int features = Compiler.Graph.FloatTensor.ElementCount(graph.Inputs[0].Shape);
            float[][] rows = Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, features).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray()).ToArray();
            return new Dataset(Enumerable.Range(0, features).Select(f => $"x{f}").ToArray(), rows, null, "generated");
        }

        byte[] blob = Quantizer.Quantize(graph, Rows(300, 1), new QuantizeOptions { ModelName = "newer-ops", Task = ModelTask.Regression }).Blob;
        Model model = Model.Load(blob);
        return new Case("NewerOps", blob, Rows(TestModelRows, 2).Features.Select(f => DeviceRunner.RawInputs(model, f)).ToArray());
    }

    /// <summary>A test model built directly, with generated raw inputs over its inputs' range.</summary>
    private static Case Generated(string name, QuantEdge.Compiler.Blob.DeviceModel device)
    {
        byte[] blob = TestModels.Blob(device);
        int inputs = Model.Load(blob).InputLength;
        int[][] rows = Enumerable.Range(0, TestModelRows).Select(i => TestModels.RawInput(inputs, seed: 100 + i)).ToArray();
        return new Case(name, blob, rows);
    }
}
