namespace QuantEdge.DeviceTests.Support
{
    /// <summary>
    /// Inputs and output in one arena, as the runtime lays them out, separated by guard bytes. A
    /// kernel run through <see cref="Run"/> is held to writing only its output: a write to an input,
    /// a guard or the space beyond is caught, not just wrong output values.
    /// </summary>
    internal sealed class GuardedArena
    {
        private const sbyte Guard = 0x5A;

        public readonly sbyte[] Data;

        private int used = 1;
        private sbyte[] before;

        public GuardedArena(int capacity)
        {
            Data = new sbyte[capacity + 16];
            for (int i = 0; i < Data.Length; i++)
            {
                Data[i] = Guard;
            }
        }

        /// <summary>Copies <paramref name="values"/> in after a guard byte; returns their offset.</summary>
        public int Place(sbyte[] values)
        {
            int offset = used;
            System.Array.Copy(values, 0, Data, offset, values.Length);
            used += values.Length + 1;
            return offset;
        }

        /// <summary>Reserves <paramref name="length"/> bytes after a guard byte for an output; returns their offset.</summary>
        public int Reserve(int length)
        {
            int offset = used;
            used += length + 1;
            return offset;
        }

        /// <summary>Remembers the arena as it is, before a kernel runs.</summary>
        public void Seal()
        {
            before = (sbyte[])Data.Clone();
        }

        /// <summary>The output's bytes, or null when the kernel changed any byte outside [offset, offset + length) since <see cref="Seal"/>.</summary>
        public sbyte[] Output(int offset, int length)
        {
            for (int i = 0; i < Data.Length; i++)
            {
                if ((i < offset || i >= offset + length) && Data[i] != before[i])
                {
                    return null;
                }
            }

            sbyte[] values = new sbyte[length];
            System.Array.Copy(Data, offset, values, 0, length);
            return values;
        }
    }
}
