using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Tests.Kernels;

public class DepthwiseConv2DTests
{
    public static TheoryData<string> Sets => CmsisVector.In("depthwise_conv");

    /// <summary>
    /// Adapter from CMSIS-NN's conventions: input_offset = −input zero point (we take the zero
    /// point itself), output_offset = +output zero point, weights [1, H, W, out_ch] as ours, null bias = zeros.
    /// </summary>
    [Theory]
    [MemberData(nameof(Sets))]
    public void MatchesCmsisNnBitExactly(string set)
    {
        CmsisVector v = CmsisVector.Load(set);
        int outputs = v.Param("out_ch");
        Assert.Equal(-v.Param("input_zero_point"), v.Param("input_offset"));
        var p = new DepthwiseConv2DParams
        {
            Batches = v.Param("batches"),
            InputHeight = v.Param("input_h"),
            InputWidth = v.Param("input_w"),
            InputDepth = v.Param("in_ch"),
            OutputHeight = v.Param("output_h"),
            OutputWidth = v.Param("output_w"),
            OutputDepth = outputs,
            DepthMultiplier = v.Param("ch_mult"),
            FilterHeight = v.Param("filter_h"),
            FilterWidth = v.Param("filter_w"),
            StrideHeight = v.Param("stride_h"),
            StrideWidth = v.Param("stride_w"),
            DilationHeight = v.Param("dilation_h"),
            DilationWidth = v.Param("dilation_w"),
            PadTop = v.Param("pad_top"),
            PadLeft = v.Param("pad_left"),
            InputZeroPoint = v.Param("input_zero_point"),
            Weights = v.SBytes("weights"),
            Bias = v.Has("bias") ? v.Ints("bias") : new int[outputs],
            OutputMultiplier = v.PerChannel("output_multiplier", outputs),
            OutputShift = v.PerChannel("output_shift", outputs),
            OutputZeroPoint = v.Param("output_zero_point"),
            ActivationMin = v.Param("activation_min"),
            ActivationMax = v.Param("activation_max"),
        };
        DepthwiseConv2D.AllocateScratch(p);

        int outputLength = p.Batches * p.OutputHeight * p.OutputWidth * outputs;
        v.AssertOutput(GuardedArena.Run(v.SBytes("input"), outputLength, (arena, input, output) => DepthwiseConv2D.Eval(p, arena, input, output)));
    }

    /// <summary>
    /// Odd shapes against the float definition: channels 1, 2, 3, 7, 9, depth multipliers 1–3,
    /// odd sizes, strides 1–3, dilations 1–2, padding on every side (also wider than the filter),
    /// a filter larger than the input, two batches, fused clamps.
    /// </summary>
    [Theory]
    [InlineData(1, 5, 5, 1, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, false)]
    [InlineData(2, 7, 5, 3, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, true)]
    [InlineData(1, 9, 7, 2, 3, 3, 2, 3, 1, 2, 1, 2, 0, 1, 1, false)]
    [InlineData(2, 6, 9, 7, 2, 2, 3, 1, 3, 1, 2, 0, 2, 1, 2, true)]
    [InlineData(1, 5, 7, 9, 1, 5, 3, 2, 2, 2, 2, 4, 2, 4, 2, false)]
    [InlineData(1, 1, 13, 3, 3, 1, 5, 1, 2, 1, 1, 0, 2, 0, 2, false)]
    [InlineData(2, 3, 5, 9, 2, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, true)]
    [InlineData(1, 2, 3, 2, 3, 5, 5, 1, 1, 1, 1, 2, 2, 2, 2, false)]
    [InlineData(2, 3, 3, 7, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, false)]
    [InlineData(1, 5, 5, 1, 3, 2, 2, 3, 3, 2, 2, 3, 3, 3, 3, true)]
    public void MatchesFloatReferenceWithinOneStep(int batches, int height, int width, int channels, int depthMultiplier,
        int filterHeight, int filterWidth, int strideHeight, int strideWidth, int dilationHeight, int dilationWidth,
        int padTop, int padLeft, int padBottom, int padRight, bool fusedClamp)
    {
        var geometry = new ConvolutionGeometry(true, batches, height, width, channels, channels * depthMultiplier,
            filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth, padTop, padLeft, padBottom, padRight);
        ConvolutionCase c = ConvolutionCase.Random(geometry, seed: 4321, fusedClamp);
        DepthwiseConv2DParams p = c.ToDepthwise();
        c.AssertWithinOneStepOfFloat(c.Run((arena, input, output) => DepthwiseConv2D.Eval(p, arena, input, output)), "depthwise");
    }

    /// <summary>Random shapes (depth multipliers 1–3) against the plain integer definition, bit for bit.</summary>
    [Theory]
    [MemberData(nameof(ConvolutionCase.Seeds), MemberType = typeof(ConvolutionCase))]
    public void MatchesIntegerReferenceBitExactly(int seed)
    {
        ConvolutionGeometry geometry = ConvolutionGeometry.Random(new Random(seed), depthwise: true);
        ConvolutionCase c = ConvolutionCase.Random(geometry, seed, fusedClamp: seed % 3 == 0);
        DepthwiseConv2DParams p = c.ToDepthwise();
        Assert.Equal(c.IntegerOutputs(), c.Run((arena, input, output) => DepthwiseConv2D.Eval(p, arena, input, output)));
    }

    /// <summary>
    /// The 3×3 walk (<see cref="DepthwiseConv2D.Walks3x3"/>): its padded band at strides 1–2 and every leading and
    /// trailing pad 0–2, and its packed 21-bit lanes at stride 1 on extreme values (all inputs and weights −128 or
    /// alternating −128 and 127, the largest sums a lane can hold) — against the plain integer definition, bit for bit.
    /// </summary>
    [Theory]
    [MemberData(nameof(ConvolutionCase.Seeds), MemberType = typeof(ConvolutionCase))]
    public void Walk3x3MatchesIntegerReferenceBitExactly(int seed)
    {
        var random = new Random(seed);
        int stride = seed % 8 < 6 ? 1 : 2;
        var geometry = new ConvolutionGeometry(true, 1 + seed % 3 / 2, random.Next(1, 9), random.Next(1, 12), random.Next(1, 20), 0,
            3, 3, stride, stride, 1, 1, random.Next(0, 3), random.Next(0, 3), random.Next(0, 3), random.Next(0, 3));
        geometry = geometry with { OutputDepth = geometry.InputDepth };
        if (geometry.OutputHeight < 1 || geometry.OutputWidth < 1)
        {
            return;
        }

        ConvolutionCase c = ConvolutionCase.Random(geometry, seed, fusedClamp: seed % 3 == 0);
        if (seed % 4 == 1)
        {
            Array.Fill(c.Input, (sbyte)-128);
            Array.Fill(c.Weights, (sbyte)-128);
        }
        else if (seed % 4 == 3)
        {
            for (int i = 0; i < c.Input.Length; i++) c.Input[i] = (sbyte)(i % 2 == 0 ? -128 : 127);
            for (int i = 0; i < c.Weights.Length; i++) c.Weights[i] = (sbyte)(i / geometry.InputDepth % 2 == 0 ? -128 : 127);
        }

        DepthwiseConv2DParams p = c.ToDepthwise();
        Assert.True(DepthwiseConv2D.Walks3x3(p) && p.Band != null);
        Assert.Equal(c.IntegerOutputs(), c.Run((arena, input, output) => DepthwiseConv2D.Eval(p, arena, input, output)));
    }
}
