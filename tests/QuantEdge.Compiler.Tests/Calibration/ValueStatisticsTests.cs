using QuantEdge.Compiler.Calibration;

namespace QuantEdge.Compiler.Tests;

public class ValueStatisticsTests
{
    /// <summary>The tracked covariance is the population covariance of the observed rows, computed here directly.</summary>
    [Fact]
    public void Covariance_IsThePopulationCovarianceOfTheRows()
    {
        var random = new Random(3);
        float[][] rows = Enumerable.Range(0, 200).Select(_ =>
        {
            float z = (float)random.NextDouble();
            return new[] { z, 2 * z + (float)random.NextDouble(), 1000 + (float)random.NextDouble(), 5f };
        }).ToArray();
        var statistics = new ValueStatistics("x", 4, covariance: true);
        foreach (float[] row in rows)
        {
            statistics.Observe(row);
        }

        double[] covariance = statistics.Covariance()!;
        for (int j = 0; j < 4; j++)
        {
            for (int k = 0; k < 4; k++)
            {
                double mj = rows.Average(r => (double)r[j]), mk = rows.Average(r => (double)r[k]);
                double expected = rows.Average(r => (r[j] - mj) * (r[k] - mk));
                // Values near 1000 with a spread near 0.3: shifted sums keep the variance to rounding noise.
                Assert.Equal(expected, covariance[j * 4 + k], 12);
            }
        }

        Assert.Null(new ValueStatistics("y", 4).Covariance());
    }
}
