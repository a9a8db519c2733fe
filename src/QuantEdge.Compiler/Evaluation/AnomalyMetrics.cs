namespace QuantEdge.Compiler.Evaluation;

/// <summary>
/// How well scores rank anomalies (label 1) above normal rows (label 0): the area under the ROC curve (the
/// chance that a random anomaly scores above a random normal row, ties counting half), and the threshold that
/// flags (score ≥ threshold) at most the chosen share of normal rows (the false-positive rate): the smallest
/// score any row has above all but that share of the normal rows, with the share of anomalies it catches (the
/// true-positive rate).
/// </summary>
public sealed record AnomalyMetrics(double Auc, double Threshold, double FalsePositiveRate, double TruePositiveRate)
{
    public static AnomalyMetrics Of(IReadOnlyList<double> scores, IReadOnlyList<int> labels, double targetFalsePositiveRate)
    {
        double[] normal = scores.Where((_, i) => labels[i] == 0).Order().ToArray();
        double[] anomalies = scores.Where((_, i) => labels[i] == 1).Order().ToArray();
        if (normal.Length == 0 || anomalies.Length == 0 || normal.Length + anomalies.Length != scores.Count)
        {
            throw new ArgumentException("scoring anomalies needs labels 0 (normal) and 1 (anomaly), both present");
        }

        // AUC from ranks: for each anomaly, the normal rows below it, ties counting half.
        double above = 0;
        foreach (double a in anomalies)
        {
            int below = LowerBound(normal, a), notAbove = UpperBound(normal, a);
            above += below + 0.5 * (notAbove - below);
        }

        // Flag a row when its score is at least the threshold: allow floor(rate × normal rows) normal rows above it.
        int allowed = (int)Math.Floor(targetFalsePositiveRate * normal.Length);
        int index = normal.Length - 1 - allowed;
        double threshold = index < 0 ? normal[0] : scores.Where(x => x > normal[index]).DefaultIfEmpty(double.PositiveInfinity).Min();
        double fpr = (double)normal.Count(s => s >= threshold) / normal.Length;
        double tpr = (double)anomalies.Count(s => s >= threshold) / anomalies.Length;
        return new AnomalyMetrics(above / ((double)normal.Length * anomalies.Length), threshold, fpr, tpr);
    }

    /// <summary>
    /// The ROC curve: for every distinct score as the threshold, highest first, the share of normal rows (false
    /// positives) and of anomalies (true positives) scoring at or above it; from (0, 0) to (1, 1).
    /// </summary>
    public static (double FalsePositiveRate, double TruePositiveRate)[] RocCurve(IReadOnlyList<double> scores, IReadOnlyList<int> labels)
    {
        int normal = labels.Count(l => l == 0), anomalies = labels.Count - normal;
        var curve = new List<(double, double)> { (0, 0) };
        int falsePositives = 0, truePositives = 0;
        foreach (var tie in Enumerable.Range(0, scores.Count).GroupBy(i => scores[i]).OrderByDescending(g => g.Key))
        {
            foreach (int i in tie)
            {
                if (labels[i] == 0) falsePositives++; else truePositives++;
            }

            curve.Add(((double)falsePositives / Math.Max(1, normal), (double)truePositives / Math.Max(1, anomalies)));
        }

        return curve.ToArray();
    }

    private static int LowerBound(double[] sorted, double value)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            int mid = (low + high) / 2;
            if (sorted[mid] < value) low = mid + 1; else high = mid;
        }

        return low;
    }

    private static int UpperBound(double[] sorted, double value)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            int mid = (low + high) / 2;
            if (sorted[mid] <= value) low = mid + 1; else high = mid;
        }

        return low;
    }
}
