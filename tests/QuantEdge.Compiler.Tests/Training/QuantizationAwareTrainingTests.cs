using QuantEdge.Compiler.Calibration;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Compiler.Quantization;
using QuantEdge.Compiler.Training;

namespace QuantEdge.Compiler.Tests.Training;

public class QuantizationAwareTrainingTests
{
    private static Dataset Data(string name) => Dataset.Load(Path.Combine(AppContext.BaseDirectory, "data", name + ".csv"));

    /// <summary>
    /// The simulation rounds every weight exactly as the quantizer will: the same per-channel scale grid (a
    /// channel's ideal scale rounded up, a channel of zeros included) and the same rounding, for a first layer
    /// whose inputs have steps from 0.001 to 10 and for a layer with one input step.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WeightsRoundExactlyAsTheQuantizerRoundsThem(bool perFeatureSteps)
    {
        const int outputs = 7, inputs = 11;
        var random = new SplitMix64(3);
        double[] weights = Enumerable.Range(0, outputs * inputs).Select(i => i / inputs == 4 ? 0 : random.NextGaussian() * (1 + i / inputs)).ToArray();
        double[] steps = Enumerable.Range(0, inputs).Select(_ => perFeatureSteps ? Math.Pow(10, random.NextDouble() * 4 - 3) : 1).ToArray();

        var rounded = new double[weights.Length];
        FakeQuantization.Weights(weights, outputs, inputs, steps, rounded);

        double[][] effective = Enumerable.Range(0, outputs).Select(o => Enumerable.Range(0, inputs).Select(i => weights[o * inputs + i] * steps[i]).ToArray()).ToArray();
        double largest = effective.Max(row => row.Max(Math.Abs)) / 127;
        QuantizedLayer quantized = WeightQuantizer.Quantize(effective, new float[outputs], largest, perTensor: false, inputMean: null);
        for (int o = 0; o < outputs; o++)
        {
            for (int i = 0; i < inputs; i++)
            {
                double expected = quantized.Weights[o * inputs + i] * quantized.WeightScales[o] / steps[i];
                Assert.Equal(expected, rounded[o * inputs + i], Math.Abs(expected) * 1e-12);
            }
        }

        Assert.All(rounded.Skip(4 * inputs).Take(inputs), w => Assert.Equal(0, w));
    }

    /// <summary>
    /// On the segment data (raw features from 0 to ~1,400), the same MLP trained with its last 50 of 200 epochs
    /// quantization-aware keeps more of its accuracy in int8 (min-max calibration on the training rows, held-out
    /// rows): measured 96.05% → 96.79% with seed 1, its float accuracy 97.04% → 96.91%.
    /// </summary>
    [Fact]
    public void QuantizationAwareEpochsMakeTheInt8ModelMoreAccurate()
    {
        Dataset train = Data("segment_train"), test = Data("segment_test");
        var options = new MlpTrainingOptions { HiddenLayers = [32, 16], Seed = 1 };

        EvaluationResult plain = Int8(MlpTrainer.Train(train, options), train, test);
        EvaluationResult aware = Int8(MlpTrainer.Train(train, options with { QatEpochs = 50 }), train, test);

        Assert.True(aware.Int8Accuracy > plain.Int8Accuracy, $"int8 {aware.Int8Accuracy:P2} with QAT, {plain.Int8Accuracy:P2} without");
        Assert.True(aware.Int8Accuracy >= aware.FloatAccuracy - 0.005, $"QAT int8 {aware.Int8Accuracy:P2}, float {aware.FloatAccuracy:P2}");
    }

    [Fact]
    public void TheFirstEpochIsFloat_ItMeasuresTheRanges()
    {
        var e = Assert.Throws<ArgumentException>(() => MlpTrainer.Train(Data("iris_train"), new MlpTrainingOptions { Epochs = 10, QatEpochs = 10 }));
        Assert.Contains("quantization-aware epochs must be 0 to 9", e.Message);
    }

    private static EvaluationResult Int8(TrainedMlp model, Dataset calibration, Dataset test)
    {
        var graph = model.ToGraph();
        byte[] blob = Quantizer.Quantize(graph, calibration, new QuantizeOptions { Method = CalibrationMethod.MinMax }).Blob;
        return Evaluator.Evaluate(blob, test, graph);
    }
}
