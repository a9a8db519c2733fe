using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Compiler.Training;

namespace QuantEdge.Compiler.Tests.Training;

public class MlpTrainerTests
{
    private static Dataset Data(string name) => Dataset.Load(Path.Combine(AppContext.BaseDirectory, "data", name + ".csv"));

    private static readonly MlpTrainingOptions Quick = new() { HiddenLayers = [16, 8], Epochs = 20, Seed = 7 };

    /// <summary>
    /// ONNX Runtime loads the written file and, on a batch of all rows, gives the logits our float
    /// executor gives row by row. Segment's raw features span 0 to ~1,400, so the folded first-layer
    /// weights and bias are far from unit scale: the tolerance is OnnxReference's (1e-5 relative to each
    /// logit plus 1e-5 of the largest, float32 accumulation in ONNX Runtime against double in ours).
    /// </summary>
    [Fact]
    public void OnnxRuntimeLoadsTheModelAndAgreesWithTheFloatExecutor()
    {
        Dataset data = Data("segment_test");
        TrainedMlp model = MlpTrainer.Train(data, Quick);
        byte[] onnx = model.ToOnnx();

        int features = data.FeatureNames.Length;
        using var session = new InferenceSession(onnx);
        var input = new DenseTensor<float>(data.Features.SelectMany(r => r).ToArray(), [data.Count, features]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(TrainedMlp.InputName, input)]);
        float[] expected = results.Single(r => r.Name == model.OutputName).AsTensor<float>().ToArray();

        var executor = new FloatExecutor(model.ToGraph());
        float[] actual = data.Features.SelectMany(row => executor.Run(row)).ToArray();
        Assert.Equal(data.Count * model.OutputCount, expected.Length);
        OnnxReference.AssertClose("logits", expected, actual);
    }

    [Fact]
    public void SameSeedGivesTheSameBytes_AnotherSeedDoesNot()
    {
        Dataset data = Data("iris_train");
        byte[] first = MlpTrainer.Train(data, Quick).ToOnnx();
        byte[] again = MlpTrainer.Train(Data("iris_train"), Quick).ToOnnx();
        byte[] other = MlpTrainer.Train(data, Quick with { Seed = 8 }).ToOnnx();
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void TrainsIrisAboveNinetyPercent()
    {
        Dataset data = Data("iris");
        TrainedMlp model = MlpTrainer.Train(data, new MlpTrainingOptions());
        double accuracy = model.Accuracy(data);
        Assert.True(accuracy > 0.9, $"train accuracy {accuracy:P1}");
    }

    /// <summary>
    /// The scaler is folded into the first layer: training on a feature in other units (×1000 and
    /// offset) standardizes to the same values, so the exported models, fed each its own units, give
    /// the same logits. The two trainings differ only by the rounding of mean and deviation (relative
    /// ~1e-15), which 20 epochs of Adam amplify far less than the 1e-3 allowed here.
    /// </summary>
    [Fact]
    public void ModelTakesRawFeatures_TheScalerIsFolded()
    {
        Dataset data = Data("iris_train");
        float[][] rescaled = data.Features.Select(r => r.Select((v, i) => i == 2 ? v * 1000 + 500 : v).ToArray()).ToArray();
        var other = new Dataset(data.FeatureNames, rescaled, data.Labels, "rescaled");
        var plain = new FloatExecutor(MlpTrainer.Train(data, Quick).ToGraph());
        var scaled = new FloatExecutor(MlpTrainer.Train(other, Quick).ToGraph());
        for (int r = 0; r < data.Count; r++)
        {
            float[] a = plain.Run(data.Features[r]);
            float[] b = scaled.Run(rescaled[r]);
            for (int c = 0; c < a.Length; c++)
            {
                Assert.True(Math.Abs(a[c] - b[c]) <= 1e-3 * Math.Max(1, Math.Abs(a[c])), $"row {r} class {c}: {a[c]} vs {b[c]}");
            }
        }
    }

    [Fact]
    public void NoHiddenLayersIsLogisticRegression()
    {
        Dataset data = Data("iris_train");
        TrainedMlp model = MlpTrainer.Train(data, Quick with { HiddenLayers = [], Epochs = 200 });
        Assert.Equal(["Dense"], model.ToGraph().Nodes.Select(n => n.OpName));
        Assert.True(model.Accuracy(data) > 0.8);
    }

    [Fact]
    public void ExportedGraphIsGemmReluLayers_WithFeatureNamesInTheMetadata()
    {
        Dataset data = Data("iris_train");
        byte[] onnx = MlpTrainer.Train(data, Quick).ToOnnx();
        global::Onnx.ModelProto proto = global::Onnx.ModelProto.Parser.ParseFrom(onnx);
        Assert.Equal(["Gemm", "Relu", "Gemm", "Relu", "Gemm"], proto.Graph.Node.Select(n => n.OpType));
        Assert.Equal(13, proto.OpsetImport.Single().Version);
        Assert.Equal("batch", proto.Graph.Input.Single().Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal("[\"f0\",\"f1\",\"f2\",\"f3\"]", proto.MetadataProps.Single(p => p.Key == "feature_names").Value);
    }

    private static Dataset Petal(string split) =>
        Dataset.LoadWithTargets(Path.Combine(AppContext.BaseDirectory, "data", $"iris_petal_{split}.csv"), ["petal_width"]);

    /// <summary>
    /// A regression learns petal width (0.1 to 2.5 cm) from the other three measurements: always predicting the
    /// training mean misses the test rows by 0.66 cm on average; the trained model by under 0.25 cm. The targets'
    /// scaler is folded into the last layer, so ONNX Runtime gives values in cm (tolerance as above).
    /// </summary>
    [Fact]
    public void TrainsARegressionWhoseOutputIsInTheTargetsUnits()
    {
        var options = new MlpTrainingOptions { HiddenLayers = [8], Epochs = 200, Task = Runtime.ModelTask.Regression };
        Dataset train = Petal("train"), test = Petal("test");
        TrainedMlp model = MlpTrainer.Train(train, options);
        double mean = train.Targets!.Average(t => t[0]);

        Assert.Equal(["petal_width"], model.OutputNames);
        Assert.InRange(model.MeanAbsoluteError(test)[0], 0, 0.25);
        Assert.True(test.Targets!.Average(t => Math.Abs(t[0] - mean)) > 0.6);
        Assert.Equal(MlpTrainer.Train(Petal("train"), options).ToOnnx(), model.ToOnnx());

        byte[] onnx = model.ToOnnx();
        using var session = new InferenceSession(onnx);
        var input = new DenseTensor<float>(test.Features.SelectMany(r => r).ToArray(), [test.Count, 3]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(TrainedMlp.InputName, input)]);
        float[] expected = results.Single(r => r.Name == "values").AsTensor<float>().ToArray();
        var executor = new FloatExecutor(model.ToGraph());
        OnnxReference.AssertClose("values", expected, test.Features.SelectMany(row => executor.Run(row)).ToArray());

        global::Onnx.ModelProto proto = global::Onnx.ModelProto.Parser.ParseFrom(onnx);
        Assert.Equal("regression", proto.MetadataProps.Single(p => p.Key == "quantedge_task").Value);
        Assert.Equal("[\"petal_width\"]", proto.MetadataProps.Single(p => p.Key == "output_names").Value);
    }

    [Fact]
    public void RejectsDataWithOneClassAndBadOptions()
    {
        Dataset data = Data("iris_train");
        var oneClass = new Dataset(data.FeatureNames, data.Features, data.Labels!.Select(_ => 0).ToArray(), "one-class.csv");
        Assert.Contains("one-class.csv", Assert.Throws<InputFileException>(() => MlpTrainer.Train(oneClass, Quick)).Message);
        Assert.Throws<ArgumentException>(() => MlpTrainer.Train(data, Quick with { Epochs = 0 }));
        Assert.Throws<ArgumentException>(() => MlpTrainer.Train(data, Quick with { HiddenLayers = [4, 0] }));
    }
}
