using QuantEdge.Compiler.Quantization;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Tests.Kernels;

/// <summary>
/// Shape of a test convolution (regular or depthwise) with explicit padding on all four sides;
/// the kernels receive only the leading pads, the trailing ones only set the output size.
/// </summary>
public sealed record ConvolutionGeometry(
    bool Depthwise, int Batches, int Height, int Width, int InputDepth, int OutputDepth,
    int FilterHeight, int FilterWidth, int StrideHeight, int StrideWidth, int DilationHeight, int DilationWidth,
    int PadTop, int PadLeft, int PadBottom, int PadRight)
{
    public int OutputHeight => (Height + PadTop + PadBottom - DilationHeight * (FilterHeight - 1) - 1) / StrideHeight + 1;

    public int OutputWidth => (Width + PadLeft + PadRight - DilationWidth * (FilterWidth - 1) - 1) / StrideWidth + 1;

    public int DepthMultiplier => OutputDepth / InputDepth;

    public int InputLength => Batches * Height * Width * InputDepth;

    public int OutputLength => Batches * OutputHeight * OutputWidth * OutputDepth;

    public int WeightLength => FilterHeight * FilterWidth * (Depthwise ? OutputDepth : OutputDepth * InputDepth);

    /// <summary>
    /// Straight from the definition: (input index, weight index) of every tap of output channel o at
    /// (n, oy, ox) that lies inside the input. Conv weights OHWI; depthwise weights 1HWC, one input
    /// channel o / multiplier.
    /// </summary>
    public IEnumerable<(int Input, int Weight)> Taps(int n, int oy, int ox, int o)
    {
        for (int ky = 0; ky < FilterHeight; ky++)
        {
            for (int kx = 0; kx < FilterWidth; kx++)
            {
                int iy = oy * StrideHeight - PadTop + ky * DilationHeight;
                int ix = ox * StrideWidth - PadLeft + kx * DilationWidth;
                if (iy < 0 || iy >= Height || ix < 0 || ix >= Width)
                {
                    continue;
                }

                int pixel = ((n * Height + iy) * Width + ix) * InputDepth;
                if (Depthwise)
                {
                    yield return (pixel + o / DepthMultiplier, (ky * FilterWidth + kx) * OutputDepth + o);
                }
                else
                {
                    for (int i = 0; i < InputDepth; i++)
                    {
                        yield return (pixel + i, ((o * FilterHeight + ky) * FilterWidth + kx) * InputDepth + i);
                    }
                }
            }
        }
    }

    /// <summary>NHWC output index of (n, oy, ox, o).</summary>
    public int OutputIndex(int n, int oy, int ox, int o) => ((n * OutputHeight + oy) * OutputWidth + ox) * OutputDepth + o;

    /// <summary>
    /// A random shape, odd sizes included: channels 1–10 (conv outputs 1–19, so every remainder of
    /// the blocks of 8, 4 and 2 occurs), filters 1–4, stride and dilation 1–3, leading and trailing
    /// pads 0 up to the dilated filter extent.
    /// </summary>
    public static ConvolutionGeometry Random(Random rng, bool depthwise)
    {
        int inputDepth = rng.Next(1, 11);
        int outputDepth = depthwise ? inputDepth * rng.Next(1, 4) : rng.Next(1, 20);
        int filterHeight = rng.Next(1, 5), filterWidth = rng.Next(1, 5);
        int dilationHeight = rng.Next(1, 4), dilationWidth = rng.Next(1, 4);
        int extentHeight = dilationHeight * (filterHeight - 1) + 1, extentWidth = dilationWidth * (filterWidth - 1) + 1;
        int height = rng.Next(1, 10), width = rng.Next(1, 10);
        int padTop = rng.Next(extentHeight), padLeft = rng.Next(extentWidth);
        int padBottom = Math.Max(rng.Next(extentHeight), extentHeight - height - padTop);
        int padRight = Math.Max(rng.Next(extentWidth), extentWidth - width - padLeft);
        return new ConvolutionGeometry(depthwise, rng.Next(1, 3), height, width, inputDepth, outputDepth,
            filterHeight, filterWidth, rng.Next(1, 4), rng.Next(1, 4), dilationHeight, dilationWidth,
            padTop, padLeft, padBottom, padRight);
    }
}

/// <summary>
/// A randomly filled int8 layer quantized the TFLite way from float scales, with the two oracles
/// the kernels are checked against: the float computation and the exact integer computation.
/// </summary>
public sealed class ConvolutionCase
{
    private ConvolutionCase(ConvolutionGeometry geometry, Random rng, bool fusedClamp, int weightZeroPoint)
    {
        Geometry = geometry;
        WeightZeroPoint = weightZeroPoint;
        Input = RandomInt8(rng, geometry.InputLength, -128);
        InputZeroPoint = rng.Next(-30, 31);
        InputScale = 0.02 + 0.1 * rng.NextDouble();
        Weights = RandomInt8(rng, geometry.WeightLength, -127);
        WeightScales = Enumerable.Range(0, geometry.OutputDepth).Select(_ => 0.001 + 0.02 * rng.NextDouble()).ToArray();
        Bias = WeightScales.Select(s => (int)Math.Round((rng.NextDouble() - 0.5) / (InputScale * s))).ToArray();

        // Output scale and zero point as calibration would set them: the float outputs span int8.
        double[] real = RealOutputs();
        double low = Math.Min(real.Min(), 0), high = Math.Max(real.Max(), 0);
        OutputScale = Math.Max(high - low, 1e-3) / 255;
        OutputZeroPoint = Math.Clamp((int)Math.Round(-128 - low / OutputScale), -128, 127);
        QuantizedMultiplier[] requantize = WeightScales.Select(s => QuantizedMultiplier.FromReal(InputScale * s / OutputScale)).ToArray();
        OutputMultiplier = requantize.Select(q => q.Multiplier).ToArray();
        OutputShift = requantize.Select(q => q.Shift).ToArray();
        // A fused ReLU with an upper cap cuts off both ends of the range.
        ActivationMin = fusedClamp ? OutputZeroPoint : -128;
        ActivationMax = fusedClamp ? Math.Min(OutputZeroPoint + 60, 127) : 127;
    }

    public ConvolutionGeometry Geometry { get; }
    public sbyte[] Input { get; }
    public int InputZeroPoint { get; }
    public double InputScale { get; }
    public sbyte[] Weights { get; }

    /// <summary>0 (symmetric, as QuantEdge quantizes) unless a test asks for asymmetric weights; the float oracle assumes 0.</summary>
    public int WeightZeroPoint { get; }
    public double[] WeightScales { get; }
    public int[] Bias { get; }
    public double OutputScale { get; }
    public int OutputZeroPoint { get; }
    public int[] OutputMultiplier { get; }
    public int[] OutputShift { get; }
    public int ActivationMin { get; }
    public int ActivationMax { get; }

    public static ConvolutionCase Random(ConvolutionGeometry geometry, int seed, bool fusedClamp = false, int weightZeroPoint = 0) =>
        new(geometry, new Random(seed), fusedClamp, weightZeroPoint);

    /// <summary>Seeds of the random shapes the kernels are checked on bit for bit.</summary>
    public static TheoryData<int> Seeds => new(Enumerable.Range(1, 60));

    /// <summary>Float reference: dequantize inputs, weights and bias, then convolve in doubles.</summary>
    public double[] RealOutputs() => MapOutputs((n, oy, ox, o) =>
    {
        double sum = Bias[o] * InputScale * WeightScales[o];
        foreach ((int input, int weight) in Geometry.Taps(n, oy, ox, o))
        {
            sum += (Input[input] - InputZeroPoint) * InputScale * (Weights[weight] * WeightScales[o]);
        }

        return sum;
    });

    /// <summary>The float reference quantized with the output scale and zero point, then clamped.</summary>
    public int[] QuantizedRealOutputs() => RealOutputs()
        .Select(r => Math.Clamp((int)Math.Round(r / OutputScale) + OutputZeroPoint, ActivationMin, ActivationMax))
        .ToArray();

    /// <summary>
    /// Every output within one step of the rounded float reference. The integer accumulator is
    /// exact, so only requantization departs from the float result: the Q31 multiplier has a
    /// relative error below 2^-31 (a negligible fraction of a step here), and TFLite's double
    /// rounding (round the high multiply, then the right shift) lands within 1/2 + 2^-(rightShift+1)
    /// step of the exact value, the rounded float within 1/2: less than two steps apart, so at most one.
    /// </summary>
    public void AssertWithinOneStepOfFloat(sbyte[] actual, string label)
    {
        int[] expected = QuantizedRealOutputs();
        Assert.Equal(expected.Length, actual.Length);
        var far = Enumerable.Range(0, expected.Length)
            .Where(i => Math.Abs(expected[i] - actual[i]) > 1)
            .Select(i => $"[{i}] float {expected[i]} got {actual[i]}")
            .ToList();
        Assert.True(far.Count == 0, $"{label}: {far.Count} of {expected.Length} outputs off by more than one: {string.Join(", ", far.Take(20))}");
    }

    /// <summary>The exact accumulators, NHWC: Bias[o] + Σ over the taps inside the input of (x − inZeroPoint) × (w − wZeroPoint).</summary>
    public int[] IntegerAccumulators() => MapOutputs((n, oy, ox, o) =>
    {
        long acc = Bias[o];
        foreach ((int input, int weight) in Geometry.Taps(n, oy, ox, o))
        {
            acc += (Input[input] - InputZeroPoint) * (Weights[weight] - WeightZeroPoint);
        }

        return checked((int)acc);
    });

    /// <summary>Integer reference: the exact accumulator, requantized by the (separately tested) fixed-point primitive.</summary>
    public sbyte[] IntegerOutputs()
    {
        int depth = Geometry.OutputDepth;
        return IntegerAccumulators().Select((acc, i) =>
        {
            int scaled = FixedPoint.MultiplyByQuantizedMultiplier(acc, OutputMultiplier[i % depth], OutputShift[i % depth]) + OutputZeroPoint;
            return (sbyte)Math.Clamp(scaled, ActivationMin, ActivationMax);
        }).ToArray();
    }

    /// <summary>Runs an accumulating kernel on the input (in a guarded arena) and returns its accumulators.</summary>
    public int[] Accumulate(Action<sbyte[], int, int[]> accumulate)
    {
        int[] accumulators = new int[Geometry.OutputLength];
        GuardedArena.Run(Input, 0, (arena, input, _) => accumulate(arena, input, accumulators));
        return accumulators;
    }

    public Conv2DParams ToConv2D(WeightLayout layout)
    {
        ConvolutionGeometry g = Geometry;
        return new Conv2DParams
        {
            Batches = g.Batches, InputHeight = g.Height, InputWidth = g.Width, InputDepth = g.InputDepth,
            OutputHeight = g.OutputHeight, OutputWidth = g.OutputWidth, OutputDepth = g.OutputDepth,
            FilterHeight = g.FilterHeight, FilterWidth = g.FilterWidth,
            StrideHeight = g.StrideHeight, StrideWidth = g.StrideWidth,
            DilationHeight = g.DilationHeight, DilationWidth = g.DilationWidth,
            PadTop = g.PadTop, PadLeft = g.PadLeft,
            InputZeroPoint = InputZeroPoint,
            WeightZeroPoint = WeightZeroPoint,
            Weights = ChannelWeights.FromInt8(Weights, g.OutputDepth, g.FilterHeight * g.FilterWidth * g.InputDepth, layout),
            Bias = Bias, OutputMultiplier = OutputMultiplier, OutputShift = OutputShift,
            OutputZeroPoint = OutputZeroPoint, ActivationMin = ActivationMin, ActivationMax = ActivationMax,
        };
    }

    public DepthwiseConv2DParams ToDepthwise()
    {
        ConvolutionGeometry g = Geometry;
        var p = new DepthwiseConv2DParams
        {
            Batches = g.Batches, InputHeight = g.Height, InputWidth = g.Width, InputDepth = g.InputDepth,
            OutputHeight = g.OutputHeight, OutputWidth = g.OutputWidth, OutputDepth = g.OutputDepth,
            DepthMultiplier = g.DepthMultiplier,
            FilterHeight = g.FilterHeight, FilterWidth = g.FilterWidth,
            StrideHeight = g.StrideHeight, StrideWidth = g.StrideWidth,
            DilationHeight = g.DilationHeight, DilationWidth = g.DilationWidth,
            PadTop = g.PadTop, PadLeft = g.PadLeft,
            InputZeroPoint = InputZeroPoint,
            Weights = Weights,
            Bias = Bias, OutputMultiplier = OutputMultiplier, OutputShift = OutputShift,
            OutputZeroPoint = OutputZeroPoint, ActivationMin = ActivationMin, ActivationMax = ActivationMax,
        };
        DepthwiseConv2D.AllocateScratch(p);
        return p;
    }

    /// <summary>Runs a kernel on the input in a guarded arena and returns its output.</summary>
    public sbyte[] Run(Action<sbyte[], int, int> eval) => GuardedArena.Run(Input, Geometry.OutputLength, eval);

    private T[] MapOutputs<T>(Func<int, int, int, int, T> output)
    {
        ConvolutionGeometry g = Geometry;
        T[] result = new T[g.OutputLength];
        for (int n = 0; n < g.Batches; n++)
            for (int oy = 0; oy < g.OutputHeight; oy++)
                for (int ox = 0; ox < g.OutputWidth; ox++)
                    for (int o = 0; o < g.OutputDepth; o++)
                        result[g.OutputIndex(n, oy, ox, o)] = output(n, oy, ox, o);
        return result;
    }

    private static sbyte[] RandomInt8(Random rng, int length, int min) =>
        Enumerable.Range(0, length).Select(_ => (sbyte)rng.Next(min, 128)).ToArray();
}
