using QuantEdge.Compiler.Evaluation;

namespace QuantEdge.Compiler.Tests.Evaluation;

/// <summary>The regression and anomaly metrics against values worked out by hand (in the comments).</summary>
public class ValueMetricsTests
{
    [Fact]
    public void RegressionMetricsOfThreeRows()
    {
        // errors 0, -1, 2: |e| sums to 3, e² to 5; the truth's mean is 2, its spread (1 + 1 + 0) is 2.
        RegressionMetrics m = RegressionMetrics.Of([1, 2, 4], [1, 3, 2]);

        Assert.Equal(1.0, m.MeanAbsoluteError, 12);
        Assert.Equal(Math.Sqrt(5.0 / 3), m.RootMeanSquareError, 12);
        Assert.Equal(2.0, m.MaxError, 12);
        Assert.Equal(1 - 5.0 / 2, m.RSquared, 12);
    }

    [Fact]
    public void APerfectFitHasRSquaredOne_AConstantTruthHasNone()
    {
        Assert.Equal(1.0, RegressionMetrics.Of([0.5, 1.5, 7], [0.5, 1.5, 7]).RSquared);
        Assert.True(double.IsNaN(RegressionMetrics.Of([1, 2], [3, 3]).RSquared));
        Assert.Throws<ArgumentException>(() => RegressionMetrics.Of([1, 2], [3]));
    }

    [Fact]
    public void AucCountsTheAnomaliesRankedAboveNormalRows()
    {
        // normal 0.1, 0.4; anomalies 0.35 (above one normal row) and 0.8 (above both): 3 of 4 pairs.
        double[] scores = [0.1, 0.4, 0.35, 0.8];
        int[] labels = [0, 0, 1, 1];

        Assert.Equal(0.75, AnomalyMetrics.Of(scores, labels, 0).Auc, 12);
        Assert.Equal(0.5, AnomalyMetrics.Of([0.5, 0.5], [0, 1], 0).Auc, 12);
        Assert.Equal(1.0, AnomalyMetrics.Of([0.1, 0.2, 0.9], [0, 0, 1], 0).Auc, 12);
    }

    [Fact]
    public void TheThresholdFlagsAtMostTheChosenShareOfNormalRows()
    {
        double[] scores = [0.1, 0.4, 0.35, 0.8];
        int[] labels = [0, 0, 1, 1];

        // No normal row may be flagged: the lowest score above 0.4, the highest normal one.
        AnomalyMetrics strict = AnomalyMetrics.Of(scores, labels, 0);
        Assert.Equal((0.8, 0.0, 0.5), (strict.Threshold, strict.FalsePositiveRate, strict.TruePositiveRate));

        // One of two normal rows may be: the lowest score above 0.1 flags 0.4 and both anomalies.
        AnomalyMetrics loose = AnomalyMetrics.Of(scores, labels, 0.5);
        Assert.Equal((0.35, 0.5, 1.0), (loose.Threshold, loose.FalsePositiveRate, loose.TruePositiveRate));

        // Normal rows tied at the top cannot be split: none of them is flagged.
        AnomalyMetrics tied = AnomalyMetrics.Of([0.3, 0.3, 0.3], [0, 0, 1], 0.5);
        Assert.Equal((double.PositiveInfinity, 0.0, 0.0), (tied.Threshold, tied.FalsePositiveRate, tied.TruePositiveRate));
    }

    [Fact]
    public void AnomalyMetricsNeedBothLabels()
    {
        Assert.Throws<ArgumentException>(() => AnomalyMetrics.Of([0.1, 0.2], [0, 0], 0.05));
        Assert.Throws<ArgumentException>(() => AnomalyMetrics.Of([0.1, 0.2], [0, 2], 0.05));
    }

    [Fact]
    public void RocCurveStepsThroughEveryDistinctScore()
    {
        // Thresholds 0.8, 0.4, 0.35, 0.1 flag an anomaly, then a normal row, then an anomaly, then a normal row.
        var curve = AnomalyMetrics.RocCurve([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);

        Assert.Equal([(0.0, 0.0), (0.0, 0.5), (0.5, 0.5), (0.5, 1.0), (1.0, 1.0)], curve);
    }

    [Fact]
    public void TheAreaUnderTheRocCurveIsTheAuc()
    {
        var random = new Random(3);
        for (int trial = 0; trial < 20; trial++)
        {
            // Coarse scores, so that ties (which the curve cuts diagonally and the AUC counts half) are common.
            int[] labels = Enumerable.Range(0, 40).Select(i => i < 5 ? i % 2 : random.Next(2)).ToArray();
            double[] scores = labels.Select(l => Math.Round(random.NextDouble() + 0.3 * l, 1)).ToArray();
            var curve = AnomalyMetrics.RocCurve(scores, labels);
            double area = curve.Zip(curve.Skip(1)).Sum(p => (p.Second.FalsePositiveRate - p.First.FalsePositiveRate) * (p.First.TruePositiveRate + p.Second.TruePositiveRate) / 2);

            Assert.Equal(AnomalyMetrics.Of(scores, labels, 0.1).Auc, area, 12);
        }
    }

    [Fact]
    public void PairsInSameOrderCountsTiesInTheScoresHalf()
    {
        Assert.Equal(1.0, ValueEvaluator.PairsInSameOrder([1, 2, 3], [10, 20, 30]), 12);
        // (1,2) and (1,3) keep their order, (2,3) is swapped.
        Assert.Equal(2.0 / 3, ValueEvaluator.PairsInSameOrder([1, 2, 3], [1, 3, 2]), 12);
        // (1,2) ties in the scores.
        Assert.Equal(2.5 / 3, ValueEvaluator.PairsInSameOrder([1, 2, 3], [1, 1, 2]), 12);
        // Pairs the reference ties do not count.
        Assert.Equal(1.0, ValueEvaluator.PairsInSameOrder([1, 1, 3], [5, 0, 9]), 12);
    }
}
