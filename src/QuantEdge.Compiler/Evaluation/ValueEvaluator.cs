using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Quantization.Lowering;
using QuantEdge.Runtime;

namespace QuantEdge.Compiler.Evaluation;

/// <summary>
/// A regression's error per output, in the output's units: the int8 model (run by the device runtime) against
/// the true values, and with a float reference the float model against them and the int8 model against it.
/// <see cref="OutputStep"/> is one int8 step of the output (its scale): the resolution the device has.
/// </summary>
public sealed record RegressionEvaluation(int Samples, string[] OutputNames, RegressionMetrics[] Int8, RegressionMetrics[]? Float,
    RegressionMetrics[]? Int8VsFloat, double OutputStep)
{
    /// <summary>Every prediction, per output: (true, int8, float or NaN) — for the report's charts.</summary>
    public required (double Truth, double Int8, double Float)[][] Points { get; init; }
}

/// <summary>
/// An anomaly model's scores on labelled rows (0 normal, 1 anomaly): the int8 model's ranking (AUC) and
/// threshold, and with a float reference the float model's, and how often the two models order a pair of
/// rows the same way.
/// </summary>
public sealed record AnomalyEvaluation(int Samples, AnomalyMetrics Int8, AnomalyMetrics? Float, double? RankAgreement, double TargetFalsePositiveRate,
    double OutputStep)
{
    /// <summary>Every row's (label, int8 score, float score or NaN) — for the report's charts.</summary>
    public required (int Label, double Int8, double Float)[] Points { get; init; }
}

/// <summary>Measures models whose outputs are values (regressions, anomaly scores) row by row, as a device runs them.</summary>
public static class ValueEvaluator
{
    public static RegressionEvaluation EvaluateRegression(byte[] blob, Dataset data, ModelGraph? reference, IProgress<ProgressReport>? progress = null)
    {
        Model model = HostSimd.Load(blob);
        float[][] targets = data.Targets ?? throw new InputFileException($"{data.Source}: no target columns to measure the error against");
        int outputs = model.OutputLength;
        if (targets[0].Length != outputs)
        {
            throw new InputFileException($"{data.Source}: {targets[0].Length} target columns, but the model has {outputs} outputs");
        }

        (double[][] int8, double[][]? floats) = Predict(model, data, reference, progress);
        var points = Enumerable.Range(0, outputs)
            .Select(o => Enumerable.Range(0, data.Count).Select(r => ((double)targets[r][o], int8[r][o], floats?[r][o] ?? double.NaN)).ToArray())
            .ToArray();
        RegressionMetrics[] Metrics(Func<(double Truth, double Int8, double Float), double> predicted, Func<(double Truth, double Int8, double Float), double> truth) =>
            points.Select(p => RegressionMetrics.Of(p.Select(predicted).ToArray(), p.Select(truth).ToArray())).ToArray();

        string[] names = Enumerable.Range(0, outputs).Select(o => model.GetOutputName(o) ?? data.TargetNames.ElementAtOrDefault(o) ?? $"output{o}").ToArray();
        return new RegressionEvaluation(data.Count, names, Metrics(p => p.Int8, p => p.Truth), floats == null ? null : Metrics(p => p.Float, p => p.Truth),
            floats == null ? null : Metrics(p => p.Int8, p => p.Float), OutputStep(model))
        {
            Points = points,
        };
    }

    public static AnomalyEvaluation EvaluateAnomaly(byte[] blob, Dataset data, ModelGraph? reference, double falsePositiveRate, IProgress<ProgressReport>? progress = null)
    {
        Model model = HostSimd.Load(blob);
        int[] labels = data.Labels ?? throw new InputFileException($"{data.Source}: no label column (0 normal, 1 anomaly) to measure the scores against");
        data.RequireAnomalyLabels();
        if (!labels.Contains(0) || !labels.Contains(1))
        {
            throw new InputFileException($"{data.Source}: the labels must include both 0 (normal) and 1 (anomaly) rows to measure a ranking");
        }

        (double[][] int8, double[][]? floats) = Predict(model, data, reference, progress);
        double[] int8Scores = int8.Select(o => o[0]).ToArray();
        double[]? floatScores = floats?.Select(o => o[0]).ToArray();
        return new AnomalyEvaluation(data.Count, AnomalyMetrics.Of(int8Scores, labels, falsePositiveRate),
            floatScores == null ? null : AnomalyMetrics.Of(floatScores, labels, falsePositiveRate),
            floatScores == null ? null : PairsInSameOrder(floatScores, int8Scores), falsePositiveRate, OutputStep(model))
        {
            Points = labels.Select((l, r) => (l, int8Scores[r], floatScores?[r] ?? double.NaN)).ToArray(),
        };
    }

    /// <summary>
    /// The share of row pairs that two score lists order the same way, among pairs the first list does not tie
    /// (a tie in the second counts half): 1 means the int8 model ranks exactly as the float model does.
    /// </summary>
    public static double PairsInSameOrder(IReadOnlyList<double> reference, IReadOnlyList<double> scores)
    {
        double same = 0;
        long pairs = 0;
        for (int i = 0; i < reference.Count; i++)
        {
            for (int j = i + 1; j < reference.Count; j++)
            {
                if (reference[i] == reference[j])
                {
                    continue;
                }

                pairs++;
                double d = (reference[i] - reference[j]) * (scores[i] - scores[j]);
                same += d > 0 ? 1 : d == 0 ? 0.5 : 0;
            }
        }

        return pairs == 0 ? 1 : same / pairs;
    }

    /// <summary>The int8 model's dequantized outputs (device order) per row, and the float model's (the same order) with a reference.</summary>
    private static (double[][] Int8, double[][]? Float) Predict(Model model, Dataset data, ModelGraph? reference, IProgress<ProgressReport>? progress)
    {
        data.RequireFeatureCount(model.InputLength, "the model");
        FloatExecutor? executor = reference == null ? null : new FloatExecutor(reference);
        var t = model.OutputTensor;
        int[] outputOrder = DevicePlan.NaturalOrder([t.N, t.C, t.H, t.W]);
        var int8 = new double[data.Count][];
        double[][]? floats = executor == null ? null : new double[data.Count][];
        var rows = new DeviceRunner.Rows(model);
        for (int r = 0; r < data.Count; r++)
        {
            rows.Run(data.Features[r]);
            int8[r] = new double[model.OutputLength];
            rows.Outputs(int8[r]);
            if (executor != null)
            {
                int row = r;
                float[] y = executor.Run(data.Features[r], (name, _, values) => FloatExecutor.RequireFinite(reference!, name, values, data, row));
                floats![r] = outputOrder.Select(i => (double)y[i]).ToArray();
            }

            if (r % 64 == 63 || r == data.Count - 1)
            {
                progress?.Report(new ProgressReport("evaluating", r + 1, data.Count));
            }
        }

        return (int8, floats);
    }

    private static double OutputStep(Model model) => BitConverter.Int32BitsToSingle(model.OutputTensor.ScaleBits);
}
