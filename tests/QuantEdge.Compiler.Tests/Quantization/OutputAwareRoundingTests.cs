using QuantEdge.Compiler.Quantization;
using QuantEdge.Compiler.Training;

namespace QuantEdge.Compiler.Tests.Quantization;

public class OutputAwareRoundingTests
{
    /// <summary>Two inputs that always move together, weights 0.4 steps each: nearest rounds both to 0 (output error 0.8 steps), one must go up.</summary>
    [Fact]
    public void CorrelatedInputsShareTheirRounding()
    {
        double[] weights = [0.4, 0.4];
        double[] covariance = [1, 1, 1, 1];

        var rounding = new OutputAwareRounding(covariance, 2);
        int[] codes = rounding.Round(weights, 1);

        Assert.Equal(1, codes.Sum());
        Assert.Equal(0.04, rounding.ErrorVariance(weights, codes), 12);
        Assert.Equal(0.64, rounding.ErrorVariance(weights, [0, 0]), 12);
    }

    /// <summary>Inputs that vary independently: each weight's own error is the whole story, and nearest is optimal.</summary>
    [Fact]
    public void IndependentInputsKeepNearestRounding()
    {
        var random = new SplitMix64(5);
        double[] weights = Enumerable.Range(0, 16).Select(_ => random.NextGaussian() * 20).ToArray();
        double[] covariance = new double[16 * 16];
        for (int k = 0; k < 16; k++)
        {
            covariance[k * 16 + k] = 0.1 + random.NextDouble();
        }

        Assert.Equal(weights.Select(w => (int)Math.Round(w / 0.5, MidpointRounding.AwayFromZero)), new OutputAwareRounding(covariance, 16).Round(weights, 0.5));
    }

    /// <summary>
    /// Random rows over correlated inputs (x = A z, z independent): never worse than nearest rounding, every code
    /// within int8's symmetric range, and on average less than a third of nearest rounding's output error variance.
    /// </summary>
    [Fact]
    public void NeverWorseThanNearestAndBetterOnCorrelatedInputs()
    {
        const int n = 24, samples = 400;
        var random = new SplitMix64(9);
        double[] mixing = Enumerable.Range(0, n * n).Select(_ => random.NextGaussian()).ToArray();
        double[][] x = Enumerable.Range(0, samples).Select(_ =>
        {
            double[] z = Enumerable.Range(0, n).Select(_ => random.NextGaussian()).ToArray();
            return Enumerable.Range(0, n).Select(j => Enumerable.Range(0, n).Sum(k => mixing[j * n + k] * z[k])).ToArray();
        }).ToArray();
        double[] mean = Enumerable.Range(0, n).Select(j => x.Average(row => row[j])).ToArray();
        double[] covariance = Enumerable.Range(0, n * n).Select(i => x.Average(row => (row[i / n] - mean[i / n]) * (row[i % n] - mean[i % n]))).ToArray();

        var rounding = new OutputAwareRounding(covariance, n);
        double nearestTotal = 0, roundedTotal = 0;
        for (int row = 0; row < 50; row++)
        {
            double[] weights = Enumerable.Range(0, n).Select(_ => random.NextGaussian() * 40).ToArray();
            if (row == 0)
            {
                weights[0] = 130; // beyond the grid: 127 either way
            }

            int[] nearest = weights.Select(w => (int)Math.Clamp(Math.Round(w, MidpointRounding.AwayFromZero), -127, 127)).ToArray();
            int[] codes = rounding.Round(weights, 1);

            double before = rounding.ErrorVariance(weights, nearest);
            double after = rounding.ErrorVariance(weights, codes);
            Assert.True(after <= before, $"row {row}: {after} > {before}");
            Assert.All(codes, code => Assert.InRange(code, -127, 127));
            if (row > 0)
            {
                nearestTotal += before;
                roundedTotal += after;
            }
        }

        Assert.True(roundedTotal < nearestTotal / 3, $"output error variance {roundedTotal:0.00} vs nearest {nearestTotal:0.00}");
    }
}
