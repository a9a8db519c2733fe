namespace QuantEdge.Runtime.Kernels
{
    /// <summary>
    /// The inner loops of the fully connected and convolution kernels: dot products of a run of
    /// int8 inputs with the weights of several output channels at once, so that each input is
    /// loaded (and its zero point subtracted) once for all of them. On the nanoCLR the cost is the
    /// number of IL instructions executed; tools/nfcheck --il prints what these loops cost per MAC.
    /// Inputs are x[k + xShift] for k in [k0, k1); weights are indexed by k.
    /// </summary>
    public static class Dot
    {
        /// <summary>
        /// Eight output channels held as four <see cref="WeightLayout.Int64Pairs"/> arrays: each
        /// 64-bit multiply-add accumulates two channels (low and high 32-bit lanes).
        /// </summary>
        public static void Pairs4(long[] w0, long[] w1, long[] w2, long[] w3, int k0, int k1,
            sbyte[] x, int xShift, int zeroPoint, ref long acc0, ref long acc1, ref long acc2, ref long acc3)
        {
            long a0 = acc0, a1 = acc1, a2 = acc2, a3 = acc3;
            for (int k = k0; k < k1; k++)
            {
                long v = x[k + xShift] - zeroPoint;
                a0 += v * w0[k];
                a1 += v * w1[k];
                a2 += v * w2[k];
                a3 += v * w3[k];
            }

            acc0 = a0;
            acc1 = a1;
            acc2 = a2;
            acc3 = a3;
        }

        /// <summary>
        /// Sixteen output channels held as eight <see cref="WeightLayout.Int64Pairs"/> rows: each input value
        /// loaded once for 16 MACs (the widest pass that pays on the interpreter: its loop and input load
        /// are shared by more lanes).
        /// </summary>
        public static void Pairs8(long[][] w, int pair, int k0, int k1, sbyte[] x, int xShift, int zeroPoint,
            ref long acc0, ref long acc1, ref long acc2, ref long acc3, ref long acc4, ref long acc5, ref long acc6, ref long acc7)
        {
            long[] w0 = w[pair], w1 = w[pair + 1], w2 = w[pair + 2], w3 = w[pair + 3];
            long[] w4 = w[pair + 4], w5 = w[pair + 5], w6 = w[pair + 6], w7 = w[pair + 7];
            long a0 = acc0, a1 = acc1, a2 = acc2, a3 = acc3, a4 = acc4, a5 = acc5, a6 = acc6, a7 = acc7;
            for (int k = k0; k < k1; k++)
            {
                long v = x[k + xShift] - zeroPoint;
                a0 += v * w0[k];
                a1 += v * w1[k];
                a2 += v * w2[k];
                a3 += v * w3[k];
                a4 += v * w4[k];
                a5 += v * w5[k];
                a6 += v * w6[k];
                a7 += v * w7[k];
            }

            acc0 = a0;
            acc1 = a1;
            acc2 = a2;
            acc3 = a3;
            acc4 = a4;
            acc5 = a5;
            acc6 = a6;
            acc7 = a7;
        }

        /// <summary>Two output channels held as one <see cref="WeightLayout.Int64Pairs"/> array.</summary>
        public static long Pair(long[] w, int k0, int k1, sbyte[] x, int xShift, int zeroPoint, long acc)
        {
            for (int k = k0; k < k1; k++)
            {
                acc += (x[k + xShift] - zeroPoint) * w[k];
            }

            return acc;
        }

        /// <summary>
        /// Sixteen output channels held as <see cref="WeightLayout.Int8Rows"/> rows: each input value loaded once
        /// for 16 MACs, so the loop's own instructions and the input load weigh half as much per MAC as in
        /// <see cref="Rows8"/> (on the interpreter 8.94 IL instructions per MAC against 9.88).
        /// </summary>
        public static void Rows16(sbyte[][] w, int row, int k0, int k1, sbyte[] x, int xShift, int zeroPoint,
            ref int acc0, ref int acc1, ref int acc2, ref int acc3, ref int acc4, ref int acc5, ref int acc6, ref int acc7,
            ref int acc8, ref int acc9, ref int acc10, ref int acc11, ref int acc12, ref int acc13, ref int acc14, ref int acc15)
        {
            sbyte[] r0 = w[row], r1 = w[row + 1], r2 = w[row + 2], r3 = w[row + 3];
            sbyte[] r4 = w[row + 4], r5 = w[row + 5], r6 = w[row + 6], r7 = w[row + 7];
            sbyte[] r8 = w[row + 8], r9 = w[row + 9], r10 = w[row + 10], r11 = w[row + 11];
            sbyte[] r12 = w[row + 12], r13 = w[row + 13], r14 = w[row + 14], r15 = w[row + 15];
            int a0 = acc0, a1 = acc1, a2 = acc2, a3 = acc3, a4 = acc4, a5 = acc5, a6 = acc6, a7 = acc7;
            int a8 = acc8, a9 = acc9, a10 = acc10, a11 = acc11, a12 = acc12, a13 = acc13, a14 = acc14, a15 = acc15;
            for (int k = k0; k < k1; k++)
            {
                int v = x[k + xShift] - zeroPoint;
                a0 += v * r0[k];
                a1 += v * r1[k];
                a2 += v * r2[k];
                a3 += v * r3[k];
                a4 += v * r4[k];
                a5 += v * r5[k];
                a6 += v * r6[k];
                a7 += v * r7[k];
                a8 += v * r8[k];
                a9 += v * r9[k];
                a10 += v * r10[k];
                a11 += v * r11[k];
                a12 += v * r12[k];
                a13 += v * r13[k];
                a14 += v * r14[k];
                a15 += v * r15[k];
            }

            acc0 = a0;
            acc1 = a1;
            acc2 = a2;
            acc3 = a3;
            acc4 = a4;
            acc5 = a5;
            acc6 = a6;
            acc7 = a7;
            acc8 = a8;
            acc9 = a9;
            acc10 = a10;
            acc11 = a11;
            acc12 = a12;
            acc13 = a13;
            acc14 = a14;
            acc15 = a15;
        }

        /// <summary>
        /// Eight output channels held as <see cref="WeightLayout.Int8Rows"/> rows: each input value loaded once
        /// for 8 MACs (on the interpreter 9.75 IL instructions per MAC against 11.5 for four rows).
        /// </summary>
        public static void Rows8(sbyte[][] w, int row, int k0, int k1, sbyte[] x, int xShift, int zeroPoint,
            ref int acc0, ref int acc1, ref int acc2, ref int acc3, ref int acc4, ref int acc5, ref int acc6, ref int acc7)
        {
            sbyte[] r0 = w[row], r1 = w[row + 1], r2 = w[row + 2], r3 = w[row + 3];
            sbyte[] r4 = w[row + 4], r5 = w[row + 5], r6 = w[row + 6], r7 = w[row + 7];
            int a0 = acc0, a1 = acc1, a2 = acc2, a3 = acc3, a4 = acc4, a5 = acc5, a6 = acc6, a7 = acc7;
            for (int k = k0; k < k1; k++)
            {
                int v = x[k + xShift] - zeroPoint;
                a0 += v * r0[k];
                a1 += v * r1[k];
                a2 += v * r2[k];
                a3 += v * r3[k];
                a4 += v * r4[k];
                a5 += v * r5[k];
                a6 += v * r6[k];
                a7 += v * r7[k];
            }

            acc0 = a0;
            acc1 = a1;
            acc2 = a2;
            acc3 = a3;
            acc4 = a4;
            acc5 = a5;
            acc6 = a6;
            acc7 = a7;
        }

        /// <summary>Four output channels held as <see cref="WeightLayout.Int8Rows"/>.</summary>
        public static void Rows4(sbyte[] r0, sbyte[] r1, sbyte[] r2, sbyte[] r3, int k0, int k1,
            sbyte[] x, int xShift, int zeroPoint, ref int acc0, ref int acc1, ref int acc2, ref int acc3)
        {
            int a0 = acc0, a1 = acc1, a2 = acc2, a3 = acc3;
            for (int k = k0; k < k1; k++)
            {
                int v = x[k + xShift] - zeroPoint;
                a0 += v * r0[k];
                a1 += v * r1[k];
                a2 += v * r2[k];
                a3 += v * r3[k];
            }

            acc0 = a0;
            acc1 = a1;
            acc2 = a2;
            acc3 = a3;
        }

        /// <summary>One output channel held as an <see cref="WeightLayout.Int8Rows"/> row.</summary>
        public static int Row(sbyte[] r, int k0, int k1, sbyte[] x, int xShift, int zeroPoint, int acc)
        {
            for (int k = k0; k < k1; k++)
            {
                acc += (x[k + xShift] - zeroPoint) * r[k];
            }

            return acc;
        }

        /// <summary>
        /// Eight output channels as rows of raw bytes (<see cref="WeightLayout.Streamed"/>: a
        /// <see cref="BlobSource"/> reads into byte[]), each weight taken as the int8 it stores: one
        /// conversion more per MAC than <see cref="Rows8"/>.
        /// </summary>
        public static void Bytes8(byte[][] w, int k0, int k1, sbyte[] x, int xShift,
            ref int acc0, ref int acc1, ref int acc2, ref int acc3, ref int acc4, ref int acc5, ref int acc6, ref int acc7)
        {
            byte[] r0 = w[0], r1 = w[1], r2 = w[2], r3 = w[3], r4 = w[4], r5 = w[5], r6 = w[6], r7 = w[7];
            int a0 = acc0, a1 = acc1, a2 = acc2, a3 = acc3, a4 = acc4, a5 = acc5, a6 = acc6, a7 = acc7;
            for (int k = k0; k < k1; k++)
            {
                int v = x[k + xShift];
                a0 += v * (sbyte)r0[k];
                a1 += v * (sbyte)r1[k];
                a2 += v * (sbyte)r2[k];
                a3 += v * (sbyte)r3[k];
                a4 += v * (sbyte)r4[k];
                a5 += v * (sbyte)r5[k];
                a6 += v * (sbyte)r6[k];
                a7 += v * (sbyte)r7[k];
            }

            acc0 = a0;
            acc1 = a1;
            acc2 = a2;
            acc3 = a3;
            acc4 = a4;
            acc5 = a5;
            acc6 = a6;
            acc7 = a7;
        }

        /// <summary>One output channel as a row of raw bytes (the last channels of a streamed layer).</summary>
        public static int ByteRow(byte[] r, int k0, int k1, sbyte[] x, int xShift, int acc)
        {
            for (int k = k0; k < k1; k++)
            {
                acc += x[k + xShift] * (sbyte)r[k];
            }

            return acc;
        }

        /// <summary>Packs two int32 values into the lanes of a 64-bit accumulator (low = first).</summary>
        public static long PackLanes(int low, int high)
        {
            return low + ((long)high << 32);
        }

        /// <summary>The low lane of a packed accumulator: the first channel's sum.</summary>
        public static int LowLane(long acc)
        {
            return (int)acc;
        }

        /// <summary>
        /// The high lane of a packed accumulator: the second channel's sum. The low lane was added
        /// sign-extended, so it is taken away before the shift.
        /// </summary>
        public static int HighLane(long acc)
        {
            return (int)((acc - (int)acc) >> 32);
        }
    }
}
