using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Tests.Kernels;

public class Conv2DTests
{
    public static TheoryData<string> Sets => CmsisVector.In("conv");

    [Theory]
    [MemberData(nameof(Sets))]
    public void MatchesCmsisNnBitExactly_Int8Rows(string set) => RunCmsis(set, WeightLayout.Int8Rows);

    [Theory]
    [MemberData(nameof(Sets))]
    public void MatchesCmsisNnBitExactly_Int64Pairs(string set) => RunCmsis(set, WeightLayout.Int64Pairs);

    /// <summary>The accumulators, put through the output stage, give CMSIS-NN's outputs: they are the ones Eval requantizes.</summary>
    [Theory]
    [MemberData(nameof(Sets))]
    public void AccumulatorsRequantizeToTheCmsisNnOutputs(string set)
    {
        foreach (WeightLayout layout in new[] { WeightLayout.Int8Rows, WeightLayout.Int64Pairs })
        {
            (CmsisVector v, Conv2DParams p) = CmsisParams(set, layout);
            int length = p.Batches * p.OutputHeight * p.OutputWidth * p.OutputDepth;
            var accumulators = new int[length];
            GuardedArena.Run(v.SBytes("input"), 0, (arena, input, _) => Conv2D.Accumulate(p, arena, input, accumulators));
            v.AssertOutput(accumulators.Select((acc, i) => OutputStage.Requantize(acc, p.OutputMultiplier[i % p.OutputDepth],
                p.OutputShift[i % p.OutputDepth], p.OutputZeroPoint, p.ActivationMin, p.ActivationMax)).ToArray());
        }
    }

    /// <summary>
    /// Asymmetric weights (a weight zero point, as models quantized elsewhere have): outputs and
    /// accumulators equal the integer definition with (w − wZeroPoint), padding and borders included.
    /// </summary>
    [Theory]
    [MemberData(nameof(ConvolutionCase.Seeds), MemberType = typeof(ConvolutionCase))]
    public void AsymmetricWeightsMatchIntegerReferenceBitExactly(int seed)
    {
        ConvolutionGeometry geometry = ConvolutionGeometry.Random(new Random(seed), depthwise: false);
        ConvolutionCase c = ConvolutionCase.Random(geometry, seed, fusedClamp: seed % 3 == 0, weightZeroPoint: seed % 2 == 0 ? -seed : 2 * seed);
        foreach (WeightLayout layout in new[] { WeightLayout.Int8Rows, WeightLayout.Int64Pairs })
        {
            Conv2DParams p = c.ToConv2D(layout);
            Assert.Equal(c.IntegerOutputs(), c.Run((arena, input, output) => Conv2D.Eval(p, arena, input, output)));
            Assert.Equal(c.IntegerAccumulators(), c.Accumulate((arena, input, accumulators) => Conv2D.Accumulate(p, arena, input, accumulators)));
        }
    }

    /// <summary>The desktop build's SIMD kernels (KernelPath.HostSimd), run as a loaded model runs them: CMSIS-NN's bytes, and sums.</summary>
    [Theory]
    [MemberData(nameof(Sets))]
    public void HostSimdKernelMatchesCmsisNnBitExactly(string set)
    {
        if (!SimdKernelsHere.Available)
        {
            return;
        }

        (CmsisVector v, Conv2DParams p) = CmsisParams(set, WeightLayout.Int8Rows);
        sbyte[] rows = Runtime.Native.NativeKernels.Rows(p.Weights);
        int outputLength = p.Batches * p.OutputHeight * p.OutputWidth * p.OutputDepth;
        v.AssertOutput(GuardedArena.Run(v.SBytes("input"), outputLength, (arena, input, output) =>
            Interop.NativeMethods.Conv2D(arena, Runtime.Native.NativeKernels.Conv2DArgs(p, input, output), rows, p.Bias,
                p.OutputMultiplier, p.OutputShift)));
        var expected = new int[outputLength];
        var actual = new int[outputLength];
        GuardedArena.Run(v.SBytes("input"), 0, (arena, input, _) => Conv2D.Accumulate(p, arena, input, expected));
        GuardedArena.Run(v.SBytes("input"), 0, (arena, input, _) =>
            Interop.NativeMethods.Conv2DAccumulate(arena, Runtime.Native.NativeKernels.Conv2DArgs(p, input, 0), rows, p.Bias, actual));
        Assert.Equal(expected, actual);
    }

    private static void RunCmsis(string set, WeightLayout layout)
    {
        (CmsisVector v, Conv2DParams p) = CmsisParams(set, layout);
        int outputLength = p.Batches * p.OutputHeight * p.OutputWidth * p.OutputDepth;
        v.AssertOutput(GuardedArena.Run(v.SBytes("input"), outputLength, (arena, input, output) => Conv2D.Eval(p, arena, input, output)));
    }

    /// <summary>
    /// Adapter from CMSIS-NN's conventions: input_offset = −input zero point (we take the zero
    /// point itself), output_offset = +output zero point, weights OHWI as ours, null bias = zeros.
    /// </summary>
    private static (CmsisVector, Conv2DParams) CmsisParams(string set, WeightLayout layout)
    {
        CmsisVector v = CmsisVector.Load(set);
        int inputDepth = v.Param("in_ch"), outputs = v.Param("out_ch");
        int filterHeight = v.Param("filter_h"), filterWidth = v.Param("filter_w");
        Assert.Equal(-v.Param("input_zero_point"), v.Param("input_offset"));
        var p = new Conv2DParams
        {
            Batches = v.Param("batches"),
            InputHeight = v.Param("input_h"),
            InputWidth = v.Param("input_w"),
            InputDepth = inputDepth,
            OutputHeight = v.Param("output_h"),
            OutputWidth = v.Param("output_w"),
            OutputDepth = outputs,
            FilterHeight = filterHeight,
            FilterWidth = filterWidth,
            StrideHeight = v.Param("stride_h"),
            StrideWidth = v.Param("stride_w"),
            DilationHeight = v.Param("dilation_h"),
            DilationWidth = v.Param("dilation_w"),
            PadTop = v.Param("pad_top"),
            PadLeft = v.Param("pad_left"),
            InputZeroPoint = v.Param("input_zero_point"),
            Weights = ChannelWeights.FromInt8(v.SBytes("weights"), outputs, filterHeight * filterWidth * inputDepth, layout),
            Bias = v.Has("bias") ? v.Ints("bias") : new int[outputs],
            OutputMultiplier = v.PerChannel("output_multiplier", outputs),
            OutputShift = v.PerChannel("output_shift", outputs),
            OutputZeroPoint = v.Param("output_zero_point"),
            ActivationMin = v.Param("activation_min"),
            ActivationMax = v.Param("activation_max"),
        };

        return (v, p);
    }

    /// <summary>
    /// Odd shapes against the float definition. Channels 1, 2, 3, 7, 9 and 16/17 (full blocks of 8
    /// plus a remainder), odd sizes, strides 1–3, dilations 1–2, padding on every side (also wider
    /// than the filter, so some outputs see no input at all), a filter larger than the input,
    /// two batches, fused clamps.
    /// </summary>
    [Theory]
    [InlineData(1, 5, 5, 1, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, false)]
    [InlineData(2, 7, 5, 3, 7, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, false)]
    [InlineData(1, 9, 7, 2, 9, 3, 2, 3, 1, 2, 1, 2, 0, 1, 1, true)]
    [InlineData(2, 6, 9, 7, 3, 2, 3, 1, 3, 1, 2, 0, 2, 1, 2, false)]
    [InlineData(1, 5, 7, 9, 2, 5, 3, 2, 2, 2, 2, 4, 2, 4, 2, true)]
    [InlineData(1, 1, 13, 3, 9, 1, 5, 1, 2, 1, 1, 0, 2, 0, 2, false)]
    [InlineData(2, 3, 5, 9, 7, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, true)]
    [InlineData(1, 3, 3, 7, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, false)]
    [InlineData(1, 7, 7, 3, 17, 3, 3, 2, 2, 1, 1, 0, 0, 1, 1, true)]
    [InlineData(1, 2, 3, 2, 3, 5, 5, 1, 1, 1, 1, 2, 2, 2, 2, false)]
    [InlineData(2, 3, 3, 2, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, false)]
    [InlineData(1, 5, 5, 1, 9, 2, 2, 3, 3, 2, 2, 3, 3, 3, 3, false)]
    public void MatchesFloatReferenceWithinOneStep(int batches, int height, int width, int inputDepth, int outputDepth,
        int filterHeight, int filterWidth, int strideHeight, int strideWidth, int dilationHeight, int dilationWidth,
        int padTop, int padLeft, int padBottom, int padRight, bool fusedClamp)
    {
        var geometry = new ConvolutionGeometry(false, batches, height, width, inputDepth, outputDepth,
            filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth, padTop, padLeft, padBottom, padRight);
        ConvolutionCase c = ConvolutionCase.Random(geometry, seed: 1234, fusedClamp);
        foreach (WeightLayout layout in new[] { WeightLayout.Int8Rows, WeightLayout.Int64Pairs })
        {
            Conv2DParams p = c.ToConv2D(layout);
            c.AssertWithinOneStepOfFloat(c.Run((arena, input, output) => Conv2D.Eval(p, arena, input, output)), layout.ToString());
        }
    }

    /// <summary>
    /// Random shapes (output depths 1–19, so every remainder of the blocks of 8, 4 and 2 occurs):
    /// both weight layouts give the same bits as the plain integer definition.
    /// </summary>
    [Theory]
    [MemberData(nameof(ConvolutionCase.Seeds), MemberType = typeof(ConvolutionCase))]
    public void BothLayoutsMatchIntegerReferenceBitExactly(int seed)
    {
        ConvolutionGeometry geometry = ConvolutionGeometry.Random(new Random(seed), depthwise: false);
        ConvolutionCase c = ConvolutionCase.Random(geometry, seed, fusedClamp: seed % 3 == 0);
        sbyte[] expected = c.IntegerOutputs();
        Conv2DParams rows = c.ToConv2D(WeightLayout.Int8Rows), pairs = c.ToConv2D(WeightLayout.Int64Pairs);
        Assert.Equal(expected, c.Run((arena, input, output) => Conv2D.Eval(rows, arena, input, output)));
        Assert.Equal(expected, c.Run((arena, input, output) => Conv2D.Eval(pairs, arena, input, output)));
    }
}
