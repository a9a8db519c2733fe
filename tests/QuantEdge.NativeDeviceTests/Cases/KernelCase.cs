namespace QuantEdge.NativeDeviceTests.Cases
{
    /// <summary>
    /// One layer to run through the managed kernel and through the native one: the arena it starts from
    /// (its inputs in place, every other byte random, so a stray write shows) and the two ways to run it.
    /// The native side calls QuantEdge.Runtime.Interop.NativeMethods with the arguments NativeKernels builds,
    /// exactly as a loaded model does. Device code (C# 10, no generics): the same cases run on the nanoCLR
    /// (this project) and on the host against the C compiled natively (tests/QuantEdge.Native.Tests).
    /// </summary>
    internal abstract class KernelCase
    {
        /// <summary>What the case is, to name it when it fails (kind, shape, parameters).</summary>
        public string Name;

        /// <summary>The arena before the layer runs; each run works on a copy.</summary>
        public sbyte[] Arena;

        /// <summary>Multiply-accumulates (or elements) of the layer.</summary>
        public int Work;

        /// <summary>Int32 sums the layer also gives (FullyConnected and Conv2D, Model.InvokeAccumulators); 0 for none.</summary>
        public int AccumulatorCount;

        public abstract void RunManaged(sbyte[] arena);

        public abstract void RunNative(sbyte[] arena);

        public virtual void AccumulateManaged(sbyte[] arena, int[] accumulators)
        {
        }

        public virtual void AccumulateNative(sbyte[] arena, int[] accumulators)
        {
        }
    }

    /// <summary>Runs a case both ways and says how the native run differs.</summary>
    internal static class CaseCheck
    {
        /// <summary>
        /// Null when the native kernel leaves every byte of the arena (its outputs, its inputs, everything
        /// else) as the managed one does, and gives the same int32 sums; else where they first differ.
        /// </summary>
        public static string Difference(KernelCase c)
        {
            sbyte[] managed = (sbyte[])c.Arena.Clone();
            sbyte[] native = (sbyte[])c.Arena.Clone();
            c.RunManaged(managed);
            c.RunNative(native);
            string difference = FirstDifference(managed, native);
            if (difference != null)
            {
                return c.Name + ": arena " + difference;
            }

            if (c.AccumulatorCount > 0)
            {
                int[] expected = new int[c.AccumulatorCount];
                int[] actual = new int[c.AccumulatorCount];
                c.AccumulateManaged((sbyte[])c.Arena.Clone(), expected);
                c.AccumulateNative((sbyte[])c.Arena.Clone(), actual);
                for (int i = 0; i < expected.Length; i++)
                {
                    if (expected[i] != actual[i])
                    {
                        return c.Name + ": accumulator [" + i.ToString() + "] managed " + expected[i].ToString() + " native " + actual[i].ToString();
                    }
                }
            }

            return null;
        }

        private static string FirstDifference(sbyte[] expected, sbyte[] actual)
        {
            int count = 0, first = -1;
            for (int i = 0; i < expected.Length; i++)
            {
                if (expected[i] != actual[i])
                {
                    if (first < 0) first = i;
                    count++;
                }
            }

            return count == 0 ? null : count.ToString() + " of " + expected.Length.ToString() + " bytes differ, first [" + first.ToString() +
                "] managed " + expected[first].ToString() + " native " + actual[first].ToString();
        }
    }
}
