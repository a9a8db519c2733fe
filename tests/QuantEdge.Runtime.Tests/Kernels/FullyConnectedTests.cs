using System.Runtime.InteropServices;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Tests.Kernels;

public class FullyConnectedTests
{
    public static TheoryData<string> Sets => CmsisVector.In("fully_connected");

    [Theory]
    [MemberData(nameof(Sets))]
    public void MatchesCmsisNnBitExactly_Int8Rows(string set) => RunCmsis(set, WeightLayout.Int8Rows);

    [Theory]
    [MemberData(nameof(Sets))]
    public void MatchesCmsisNnBitExactly_Int64Pairs(string set) => RunCmsis(set, WeightLayout.Int64Pairs);

    /// <summary>Weights read from a source during Eval, eight channels at a time (the sets have batches, odd channel counts and filter zero points).</summary>
    [Theory]
    [MemberData(nameof(Sets))]
    public void MatchesCmsisNnBitExactly_Streamed(string set) => RunCmsis(set, WeightLayout.Streamed);

    /// <summary>The same, one channel's row at a time through a one-row buffer.</summary>
    [Theory]
    [MemberData(nameof(Sets))]
    public void MatchesCmsisNnBitExactly_StreamedByRow(string set) => RunCmsis(set, WeightLayout.StreamedByRow);

    /// <summary>
    /// The accumulators, put through the output stage, give CMSIS-NN's outputs: they are the ones Eval
    /// requantizes (the sets include nonzero filter zero points).
    /// </summary>
    [Theory]
    [MemberData(nameof(Sets))]
    public void AccumulatorsRequantizeToTheCmsisNnOutputs(string set)
    {
        foreach (WeightLayout layout in new[] { WeightLayout.Int8Rows, WeightLayout.Int64Pairs, WeightLayout.Streamed, WeightLayout.StreamedByRow })
        {
            (CmsisVector v, FullyConnectedParams p) = CmsisParams(set, layout);
            sbyte[] input = v.SBytes("input");
            var accumulators = new int[p.Batches * p.OutputDepth];
            sbyte[] arena = [0, .. input, 0];
            FullyConnected.Accumulate(p, arena, 1, accumulators);
            v.AssertOutput(accumulators.Select((acc, i) => OutputStage.Requantize(acc, p.OutputMultiplier[i % p.OutputDepth],
                p.OutputShift[i % p.OutputDepth], p.OutputZeroPoint, p.ActivationMin, p.ActivationMax)).ToArray());
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

        (CmsisVector v, FullyConnectedParams p) = CmsisParams(set, WeightLayout.Int8Rows);
        sbyte[] rows = Runtime.Native.NativeKernels.Rows(p.Weights);
        int outputLength = p.Batches * p.OutputDepth;
        v.AssertOutput(GuardedArena.Run(v.SBytes("input"), outputLength, (arena, input, output) =>
            Interop.NativeMethods.FullyConnected(arena, Runtime.Native.NativeKernels.FullyConnectedArgs(p, input, output), rows, p.Bias,
                p.OutputMultiplier, p.OutputShift)));
        var expected = new int[outputLength];
        var actual = new int[outputLength];
        GuardedArena.Run(v.SBytes("input"), 0, (arena, input, _) => FullyConnected.Accumulate(p, arena, input, expected));
        GuardedArena.Run(v.SBytes("input"), 0, (arena, input, _) =>
            Interop.NativeMethods.FullyConnectedAccumulate(arena, Runtime.Native.NativeKernels.FullyConnectedArgs(p, input, 0), rows, p.Bias, actual));
        Assert.Equal(expected, actual);
    }

    private static void RunCmsis(string set, WeightLayout layout)
    {
        (CmsisVector v, FullyConnectedParams p) = CmsisParams(set, layout);
        int batches = p.Batches, outputs = p.OutputDepth;
        sbyte[] input = v.SBytes("input");
        // Input and output live at offsets in one arena, as on the device; a guard byte on each side.
        sbyte[] arena = new sbyte[1 + input.Length + 1 + batches * outputs + 1];
        input.CopyTo(arena, 1);
        int outputOffset = input.Length + 2;
        FullyConnected.Eval(p, arena, 1, outputOffset);
        v.AssertOutput(arena.AsSpan(outputOffset, batches * outputs).ToArray());
        Assert.Equal(0, arena[0]);
        Assert.Equal(0, arena[^1]);
    }

    /// <summary>
    /// Adapter from CMSIS-NN's conventions to ours: the input offset (= -input zero point) is folded
    /// into the bias, the filter offset becomes the weight zero point.
    /// </summary>
    private static (CmsisVector, FullyConnectedParams) CmsisParams(string set, WeightLayout layout)
    {
        CmsisVector v = CmsisVector.Load(set);
        int batches = v.Param("batches"), depth = v.Param("accumulation_depth"), outputs = v.Param("out_ch");
        int inputZeroPoint = v.Param("input_zero_point"), weightZeroPoint = v.Param("filter_zero_point");
        sbyte[] weights = v.SBytes("weights");
        int[] bias = v.Has("bias") ? v.Ints("bias") : new int[outputs];
        int[] folded = new int[outputs];
        for (int o = 0; o < outputs; o++)
        {
            long sumW = 0;
            for (int k = 0; k < depth; k++) sumW += weights[o * depth + k];
            folded[o] = checked((int)(bias[o] - inputZeroPoint * sumW + (long)depth * inputZeroPoint * weightZeroPoint));
        }

        var p = new FullyConnectedParams
        {
            Batches = batches,
            InputDepth = depth,
            OutputDepth = outputs,
            Weights = layout is WeightLayout.Streamed or WeightLayout.StreamedByRow
                ? Streamed(weights, outputs, depth, layout == WeightLayout.Streamed ? StreamBuffer.Group : 1)
                : ChannelWeights.FromInt8(weights, outputs, depth, layout),
            Bias = folded,
            WeightZeroPoint = weightZeroPoint,
            OutputMultiplier = v.PerChannel("output_multiplier", outputs),
            OutputShift = v.PerChannel("output_shift", outputs),
            OutputZeroPoint = v.Param("output_zero_point"),
            ActivationMin = v.Param("activation_min"),
            ActivationMax = v.Param("activation_max"),
        };

        return (v, p);
    }

    /// <summary>
    /// Streamed weights behind 5 bytes of something else in the source, read at most 3 bytes per call (so every
    /// row takes several reads), through a buffer first grown for a shallower layer.
    /// </summary>
    private static ChannelWeights Streamed(sbyte[] weights, int outputs, int depth, int group)
    {
        byte[] source = [1, 2, 3, 4, 5, .. MemoryMarshal.AsBytes(weights.AsSpan())];
        var buffer = new StreamBuffer();
        buffer.Reserve(group, 1);
        return ChannelWeights.FromSource(new RecordingSource(source, maxRead: 3), 5, outputs, depth, group, buffer);
    }
}
