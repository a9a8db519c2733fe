using QuantEdge.Compiler.Calibration;
using QuantEdge.Compiler.Graph;

namespace QuantEdge.Compiler.Tests;

public class InputCovarianceTests
{
    /// <summary>The population covariance of the observed vectors, against a direct two-pass computation.</summary>
    private static void AssertCovarianceOf(IReadOnlyList<double[]> vectors, InputCovariance tracked, int precision)
    {
        int n = tracked.Length;
        double[] covariance = tracked.Covariance();
        for (int j = 0; j < n; j++)
        {
            for (int k = 0; k < n; k++)
            {
                double mj = vectors.Average(v => v[j]), mk = vectors.Average(v => v[k]);
                Assert.Equal(vectors.Average(v => (v[j] - mj) * (v[k] - mk)), covariance[j * n + k], precision);
            }
        }
    }

    /// <summary>Correlated, constant and far-from-zero features: shifted sums keep a pressure near 1000 with a spread near 0.3 to rounding noise.</summary>
    [Fact]
    public void Vectors()
    {
        var random = new Random(3);
        float[][] rows = Enumerable.Range(0, 200).Select(_ =>
        {
            float z = (float)random.NextDouble();
            return new[] { z, 2 * z + (float)random.NextDouble(), 1000 + (float)random.NextDouble(), 5f };
        }).ToArray();
        var tracked = new InputCovariance(4);
        foreach (float[] row in rows)
        {
            tracked.Observe(row);
        }

        AssertCovarianceOf(rows.Select(r => r.Select(v => (double)v).ToArray()).ToArray(), tracked, 12);
    }

    /// <summary>
    /// A convolution's patches, taps in OHWI order with padding taps 0, over every output position of a strided, dilated,
    /// asymmetrically padded window: against patches cut out here by the definition. A 1-D convolution ([N, C, W]) is one
    /// of height 1.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ConvolutionPatches(bool oneDimensional)
    {
        (int channels, int height, int width, int kh, int top) = oneDimensional ? (2, 1, 7, 1, 0) : (2, 6, 7, 2, 1);
        int[] shape = oneDimensional ? [1, channels, width] : [1, channels, height, width];
        var conv = (Conv2DNode)new Conv2DNode
        {
            Name = "c",
            Input = "x",
            Output = "y",
            Weights = FloatTensor.Zeros(3, channels, kh, 3),
            Bias = new float[3],
            Strides = new Size2D(2, 1),
            Pads = new Padding2D(Top: top, Left: 0, Bottom: 0, Right: 2),
            Dilations = new Size2D(1, 2),
            Group = 1,
        }.WithInferredShape(_ => shape);
        var random = new Random(4);
        var tracked = new InputCovariance(channels * kh * 3);
        NchwShape output = NchwShape.Of(conv.OutputShape);
        var patches = new List<double[]>();
        for (int row = 0; row < 3; row++)
        {
            float[] input = Enumerable.Range(0, channels * height * width).Select(_ => (float)random.NextDouble()).ToArray();
            tracked.ObservePatches(conv, shape, input);
            for (int oy = 0; oy < output.Height; oy++)
            {
                for (int ox = 0; ox < output.Width; ox++)
                {
                    var patch = new List<double>();
                    for (int ky = 0; ky < kh; ky++)
                    {
                        for (int kx = 0; kx < 3; kx++)
                        {
                            for (int c = 0; c < channels; c++)
                            {
                                int y = oy * 2 - top + ky, x = ox + kx * 2;
                                patch.Add(y < 0 || y >= height || x < 0 || x >= width ? 0 : input[(c * height + y) * width + x]);
                            }
                        }
                    }

                    patches.Add(patch.ToArray());
                }
            }
        }

        Assert.Equal(patches.Count / 3, output.Height * output.Width);
        AssertCovarianceOf(patches, tracked, 12);
    }
}
