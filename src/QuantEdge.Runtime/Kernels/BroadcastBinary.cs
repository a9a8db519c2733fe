namespace QuantEdge.Runtime.Kernels
{
    /// <summary>
    /// With s1 = MBQM((x1 − zp1) &lt;&lt; L, M1, S1) and s2 = MBQM((x2 − zp2) &lt;&lt; L, M2, S2) (Add's rescaling),
    /// out = clamp(MBQM(s1 − s2, max(s1, s2) or min(s1, s2), Mo, So) + zpOut, min, max). The requantization is
    /// monotonic, so Maximum and Minimum give the larger and the smaller input requantized. The inputs broadcast
    /// to the output (<see cref="BroadcastParams"/>); the output may sit on an input of its shape.
    /// </summary>
    /// <remarks>
    /// One loop for the three operations: they differ in one line, and the device has no generics or inlining
    /// to share the loop otherwise; the choice costs a few IL instructions per element beside two rescalings.
    /// </remarks>
    public static class BroadcastBinary
    {
        /// <summary>Combines the inputs element by element into the output's NHWC elements at <paramref name="outputOffset"/>.</summary>
        public static void Eval(BroadcastParams p, sbyte[] arena, int input1Offset, int input2Offset, int outputOffset)
        {
            int zeroPoint1 = p.Input1ZeroPoint, zeroPoint2 = p.Input2ZeroPoint, leftShift = p.LeftShift;
            int multiplier1 = p.Input1Multiplier, shift1 = p.Input1Shift;
            int multiplier2 = p.Input2Multiplier, shift2 = p.Input2Shift;
            int outputMultiplier = p.OutputMultiplier, outputShift = p.OutputShift, outputZeroPoint = p.OutputZeroPoint;
            int min = p.ActivationMin, max = p.ActivationMax;
            bool subtract = p.Operation == BroadcastParams.Subtract, larger = p.Operation == BroadcastParams.Maximum;
            int channels = p.Channels, channelStride1 = p.Input1ChannelStride, channelStride2 = p.Input2ChannelStride;
            int o = outputOffset;
            for (int n = 0; n < p.Batches; n++)
            {
                for (int y = 0; y < p.Height; y++)
                {
                    for (int x = 0; x < p.Width; x++)
                    {
                        int a = input1Offset + n * p.Input1BatchStride + y * p.Input1RowStride + x * p.Input1ColumnStride;
                        int b = input2Offset + n * p.Input2BatchStride + y * p.Input2RowStride + x * p.Input2ColumnStride;
                        for (int c = 0; c < channels; c++)
                        {
                            int scaled1 = FixedPoint.MultiplyByQuantizedMultiplier((arena[a] - zeroPoint1) << leftShift, multiplier1, shift1);
                            int scaled2 = FixedPoint.MultiplyByQuantizedMultiplier((arena[b] - zeroPoint2) << leftShift, multiplier2, shift2);
                            int combined = subtract ? scaled1 - scaled2 : (scaled1 > scaled2) == larger ? scaled1 : scaled2;
                            arena[o++] = OutputStage.Requantize(combined, outputMultiplier, outputShift, outputZeroPoint, min, max);
                            a += channelStride1;
                            b += channelStride2;
                        }
                    }
                }
            }
        }
    }
}
