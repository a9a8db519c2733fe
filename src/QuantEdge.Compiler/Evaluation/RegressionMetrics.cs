namespace QuantEdge.Compiler.Evaluation;

/// <summary>
/// How close predicted values are to the true ones, in the values' own units: mean absolute error, root mean
/// square error, the largest absolute error, and R² = 1 − Σ(error²) / Σ((truth − mean of truth)²) (1 is a
/// perfect fit, 0 no better than always predicting the mean; it is NaN when the truth does not vary).
/// </summary>
public sealed record RegressionMetrics(double MeanAbsoluteError, double RootMeanSquareError, double MaxError, double RSquared)
{
    /// <summary>The metrics with their names, in the order the tools print them.</summary>
    public (string Name, double Value)[] Named() =>
        [("mean absolute error", MeanAbsoluteError), ("RMSE", RootMeanSquareError), ("max error", MaxError), ("R²", RSquared)];

    public static RegressionMetrics Of(IReadOnlyList<double> predicted, IReadOnlyList<double> truth)
    {
        if (predicted.Count != truth.Count || truth.Count == 0)
        {
            throw new ArgumentException($"{predicted.Count} predictions for {truth.Count} true values");
        }

        double mean = truth.Average();
        double absolute = 0, squared = 0, max = 0, spread = 0;
        for (int i = 0; i < truth.Count; i++)
        {
            double error = predicted[i] - truth[i];
            absolute += Math.Abs(error);
            squared += error * error;
            max = Math.Max(max, Math.Abs(error));
            spread += (truth[i] - mean) * (truth[i] - mean);
        }

        return new RegressionMetrics(absolute / truth.Count, Math.Sqrt(squared / truth.Count), max, spread == 0 ? double.NaN : 1 - squared / spread);
    }
}
