using QuantEdge.Compiler.Graph;

namespace QuantEdge.Compiler.Calibration;

/// <summary>
/// The covariance of the vectors a layer's weights multiply, as calibration saw them: a fully connected layer's input
/// (one vector per row), a convolution's input patches (one vector per output position, taps in the weights' OHWI order,
/// a padded tap 0 as it is to the layer). Output-aware rounding minimises the output error over it.
/// </summary>
/// <remarks>
/// Sums are taken around the first vector seen (shifted sums): a feature far from zero (a pressure of 1013 hPa) would
/// otherwise cancel its own variance away in Σx²/n − μ².
/// </remarks>
public sealed class InputCovariance
{
    /// <summary>Layers whose vectors are longer are not tracked (n² doubles; the rounding then costs n³).</summary>
    public const int MaxLength = 1024;

    /// <summary>
    /// Calibration rows the covariance is taken over (the first ones): enough for the few hundred taps a layer has, and
    /// it keeps calibration on 10,000 rows from paying n² per row for the rounding's sake.
    /// </summary>
    public const int MaxRows = 1024;

    /// <summary>A convolution adds at most about this many products per row (its output positions are sampled evenly beyond).</summary>
    public const long MaxProductsPerRow = 4_000_000;

    private readonly int n;
    private readonly double[] sum;

    /// <summary>Σ (v_j − s_j)(v_k − s_k), j ≤ k, row-major upper triangle.</summary>
    private readonly double[] products;
    private readonly double[] centred;
    private readonly double[] vectorBuffer;
    private double[]? shift;
    private long count;

    public InputCovariance(int length)
    {
        n = length;
        sum = new double[n];
        products = new double[n * (n + 1) / 2];
        centred = new double[n];
        vectorBuffer = new double[n];
    }

    public int Length => n;

    /// <summary>Adds one vector: a fully connected layer's input on one row.</summary>
    public void Observe(ReadOnlySpan<float> vector)
    {
        for (int k = 0; k < n; k++)
        {
            vectorBuffer[k] = vector[k];
        }

        Add(vectorBuffer);
    }

    /// <summary>Adds a convolution's input patches from one row's input (<paramref name="input"/> of shape [1, C, H, W], or [1, C, W] for a 1-D convolution).</summary>
    public void ObservePatches(Conv2DNode conv, int[] shape, ReadOnlySpan<float> input)
    {
        (_, int channels, int height, int width) = NchwShape.Of(shape);
        int kw = conv.Kernel.Width;
        NchwShape output = NchwShape.Of(conv.OutputShape);
        int outWidth = output.Width;
        long positions = (long)output.Height * outWidth;
        int every = (int)Math.Max(1, (positions * n * (n + 1) / 2 + MaxProductsPerRow - 1) / MaxProductsPerRow);
        for (long p = 0; p < positions; p += every)
        {
            int top = (int)(p / outWidth) * conv.Strides.Height - conv.Pads.Top, left = (int)(p % outWidth) * conv.Strides.Width - conv.Pads.Left;
            for (int k = 0; k < n; k++)
            {
                // OHWI: tap k = (ky·KW + kx)·C + c.
                int c = k % channels, kx = k / channels % kw, ky = k / channels / kw;
                int y = top + ky * conv.Dilations.Height, x = left + kx * conv.Dilations.Width;
                vectorBuffer[k] = y < 0 || y >= height || x < 0 || x >= width ? 0 : input[(c * height + y) * width + x];
            }

            Add(vectorBuffer);
        }
    }

    private void Add(double[] vector)
    {
        if (shift is null)
        {
            shift = (double[])vector.Clone();
        }

        for (int k = 0; k < n; k++)
        {
            centred[k] = vector[k] - shift[k];
            sum[k] += centred[k];
        }

        int t = 0;
        for (int j = 0; j < n; j++)
        {
            double cj = centred[j];
            for (int k = j; k < n; k++, t++)
            {
                products[t] += cj * centred[k];
            }
        }

        count++;
    }

    /// <summary>The population covariance, [j × n + k].</summary>
    public double[] Covariance()
    {
        var covariance = new double[n * n];
        int t = 0;
        for (int j = 0; j < n; j++)
        {
            for (int k = j; k < n; k++, t++)
            {
                double c = count == 0 ? 0 : products[t] / count - sum[j] / count * (sum[k] / count);
                covariance[j * n + k] = c;
                covariance[k * n + j] = c;
            }
        }

        return covariance;
    }
}
