using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Compiler.Quantization.Lowering;
using QuantEdge.Runtime;

namespace QuantEdge.Compiler.Quantization;

/// <summary>
/// Calibration rows a candidate device model is judged on, with what the float model answers on them worked out once
/// (<see cref="Score"/>): the automatic range choice and the rounding choice judge many candidates on the same rows.
/// </summary>
internal sealed class Judge
{
    /// <summary>Share of calibration rows, those with the smallest float margins, whose margin error a classifier's score measures.</summary>
    private const double NearBoundary = 0.1;

    /// <summary>Rows a core takes at least when a score is shared out (fewer are not worth a thread).</summary>
    private const int RowsPerPart = 64;

    private readonly Dataset sample;
    private readonly float[][] reference;
    private readonly int[] outputOrder;

    /// <summary>An anomaly model's rows: the float model's score, which a candidate's must order alike.</summary>
    private readonly double[] referenceScores = [];

    /// <summary>A classifier's rows: the float model's best and second-best output (device order) and their margin.</summary>
    private readonly int[] best, second;
    private readonly double[] margin;

    /// <summary>The largest margin of the rows nearest the decision boundary (<see cref="NearBoundary"/>).</summary>
    private readonly double nearBoundary;

    private Judge(DevicePlan plan, Dataset sample, bool classifier, bool ranked)
    {
        this.sample = sample;
        reference = new float[sample.Count][];
        InParts(sample.Count, (part, from, to) =>
        {
            var executor = new FloatExecutor(plan.Graph);
            for (int r = from; r < to; r++)
            {
                reference[r] = executor.Run(sample.Features[r]);
            }
        });
        outputOrder = plan.Value(plan.Output).FlatOrder;
        Classifier = classifier;
        Ranked = ranked;
        best = new int[sample.Count];
        second = new int[sample.Count];
        margin = new double[sample.Count];
        if (classifier)
        {
            for (int r = 0; r < sample.Count; r++)
            {
                best[r] = Quantizer.ArgMax(reference[r], outputOrder);
                second[r] = RunnerUp(reference[r], outputOrder, best[r]);
                margin[r] = reference[r][outputOrder[best[r]]] - reference[r][outputOrder[second[r]]];
            }

            nearBoundary = Percentile(margin, NearBoundary);
        }

        if (ranked)
        {
            referenceScores = reference.Select(y => (double)y[outputOrder[0]]).ToArray();
        }
    }

    /// <summary>Whether the model is a classifier judged by its changed predictions.</summary>
    public bool Classifier { get; }

    /// <summary>Whether the model's one output is an anomaly score judged by the order it gives the rows.</summary>
    public bool Ranked { get; }

    public static Judge For(DevicePlan plan, Dataset sample, QuantizeOptions options) =>
        new(plan, sample, options.Task == ModelTask.Classification && IsClassifier(plan), options.Task == ModelTask.Anomaly);

    /// <summary>Fewer disagreements, or as few and a smaller error.</summary>
    public static bool IsBetter((double Disagreements, double Error) a, (double Disagreements, double Error) b) =>
        a.Disagreements < b.Disagreements || (a.Disagreements == b.Disagreements && a.Error < b.Error);

    /// <summary>
    /// How far a candidate device model is from the float model. For a classifier: changed
    /// predictions first, then the squared error of the margin between the float model's top two
    /// outputs over the rows nearest the decision boundary (the tenth with the smallest float
    /// margins): those are the rows that flip next. Rows far from the boundary, whose margin may
    /// shrink without risk (a clipped output range), and the other outputs, do not count. For an
    /// anomaly score (<see cref="Ranked"/>): the share of row pairs the int8 scores order
    /// differently from the float scores first (a threshold only needs the order), then the squared
    /// error. For any other model (a regression, a feature map): the squared error of all outputs, in
    /// the outputs' units.
    /// </summary>
    /// <remarks>
    /// The rows are shared out among the host's cores, each with its own copy of the model; what each row adds is kept per row
    /// and summed in row order afterwards, so the score is the same to the last bit on any number of cores.
    /// </remarks>
    public (double Disagreements, double Error) Score(DeviceModel device)
    {
        // Run on the host's SIMD kernels (the same bytes out as the device's); the first load checks the model.
        byte[] blob = Quantizer.WithoutGolden(device);
        Model first = Quantizer.DeviceAccepts(() => HostSimd.Load(blob));
        var errors = new double[sample.Count];
        var flips = new bool[sample.Count];
        var scores = new double[sample.Count];
        InParts(sample.Count, (part, from, to) =>
        {
            var rows = new DeviceRunner.Rows(part == 0 ? first : HostSimd.Load(blob));
            var actual = new double[rows.Model.OutputLength];
            for (int r = from; r < to; r++)
            {
                rows.Run(sample.Features[r]);
                rows.Outputs(actual);
                scores[r] = actual[0];
                (flips[r], errors[r]) = Compare(r, actual);
            }
        });

        double disagreements = 0;
        double error = 0;
        for (int r = 0; r < sample.Count; r++)
        {
            disagreements += flips[r] ? 1 : 0;
            error += errors[r];
        }

        if (Ranked)
        {
            disagreements = 1 - ValueEvaluator.PairsInSameOrder(referenceScores, scores);
        }

        return (disagreements, error);
    }

    /// <summary>
    /// Row <paramref name="r"/>'s part of the score: whether a classifier's prediction changed, and the squared error the row
    /// adds (a classifier's margin error near the boundary, else every output's).
    /// </summary>
    private (bool Flipped, double Error) Compare(int r, double[] actual)
    {
        float[] expected = reference[r];
        if (!Classifier)
        {
            double squares = 0;
            for (int j = 0; j < actual.Length; j++)
            {
                squares += Math.Pow(actual[j] - expected[outputOrder[j]], 2);
            }

            return (false, squares);
        }

        bool flipped = best[r] != ArgMax(actual);
        return (flipped, margin[r] <= nearBoundary ? Math.Pow(actual[best[r]] - actual[second[r]] - margin[r], 2) : 0);
    }

    /// <summary>
    /// Runs <paramref name="work"/>(part, from, to) over rows [0, <paramref name="count"/>) cut into consecutive parts, one per
    /// core (at least <see cref="RowsPerPart"/> rows each), in parallel; part 0 starts at row 0.
    /// </summary>
    private static void InParts(int count, Action<int, int, int> work)
    {
        int parts = Math.Clamp(count / RowsPerPart, 1, Environment.ProcessorCount);
        Parallel.For(0, parts, part => work(part, part * count / parts, (part + 1) * count / parts));
    }

    /// <summary>A model whose output is one vector of two or more class scores per row (its argmax is the prediction).</summary>
    private static bool IsClassifier(DevicePlan plan) =>
        plan.Value(plan.Output).FloatShape.Length <= 2 && plan.Value(plan.Output).Dims[3] >= 2;

    private static int RunnerUp(float[] y, int[] outputOrder, int best) =>
        Enumerable.Range(0, outputOrder.Length).Where(j => j != best).MaxBy(j => y[outputOrder[j]]);

    private static double Percentile(IEnumerable<double> values, double fraction)
    {
        double[] sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[(int)(fraction * (sorted.Length - 1))];
    }

    /// <summary>The index of the largest output (the lowest index wins a tie, as on the device).</summary>
    private static int ArgMax(double[] values)
    {
        int best = 0;
        for (int j = 1; j < values.Length; j++)
        {
            if (values[j] > values[best])
            {
                best = j;
            }
        }

        return best;
    }
}
