using QuantEdge.DeviceTests.Support;

namespace QuantEdge.NativeDeviceTests.Cases
{
    /// <summary>
    /// Random values for the cases, leaning to the extremes where the arithmetic turns: int8 ends (−128, 127),
    /// zero points at the ends, multipliers of 0, 1, 2^30 and 2^31 − 1, every shift from −31 to 30.
    /// </summary>
    internal sealed class CaseRandom
    {
        private readonly DevicePrng prng;

        public CaseRandom(uint seed)
        {
            prng = new DevicePrng(seed);
        }

        /// <summary>An integer in [min, max].</summary>
        public int Range(int min, int max)
        {
            return min + (int)(prng.NextUInt() % (uint)(max - min + 1));
        }

        /// <summary>True one time in <paramref name="n"/>.</summary>
        public bool OneIn(int n)
        {
            return prng.Next(n) == 0;
        }

        public int Int8()
        {
            return OneIn(8) ? (OneIn(2) ? -128 : 127) : Range(-128, 127);
        }

        public int ZeroPoint()
        {
            return OneIn(4) ? (OneIn(2) ? -128 : 127) : Range(-128, 127);
        }

        /// <summary>Int8 values; a quarter of the arrays hold only the two ends.</summary>
        public sbyte[] Int8s(int count)
        {
            bool ends = OneIn(4);
            sbyte[] values = new sbyte[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = (sbyte)(ends ? (OneIn(2) ? -128 : 127) : Int8());
            }

            return values;
        }

        /// <summary>A Q0.31 multiplier in [0, 2^31).</summary>
        public int Multiplier()
        {
            switch (Range(0, 7))
            {
                case 0: return 0;
                case 1: return 1;
                case 2: return 1 << 30;
                case 3: return int.MaxValue;
                case 4: return Range(0, int.MaxValue);
                default: return Range(1 << 30, int.MaxValue);
            }
        }

        /// <summary>A shift in [−31, 30], mostly the right shifts real layers have.</summary>
        public int Shift()
        {
            return OneIn(4) ? Range(-31, 30) : Range(-12, 0);
        }

        public int[] Multipliers(int count)
        {
            int[] values = new int[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = Multiplier();
            }

            return values;
        }

        public int[] Shifts(int count)
        {
            int[] values = new int[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = Shift();
            }

            return values;
        }

        /// <summary>Biases up to ±2^20, now and then ±2^30: large, but no int32 sum of a layer here can overflow.</summary>
        public int[] Biases(int count)
        {
            int[] values = new int[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = OneIn(16) ? (OneIn(2) ? -(1 << 30) : 1 << 30) : Range(-(1 << 20), 1 << 20);
            }

            return values;
        }

        /// <summary>A fused clamp min ≤ max in the int8 range; half the time none.</summary>
        public void Clamp(out int min, out int max)
        {
            if (OneIn(2))
            {
                min = -128;
                max = 127;
                return;
            }

            int a = Range(-128, 127), b = Range(-128, 127);
            min = a < b ? a : b;
            max = a < b ? b : a;
        }

        /// <summary>An arena of <paramref name="length"/> random bytes.</summary>
        public sbyte[] Arena(int length)
        {
            sbyte[] arena = new sbyte[length];
            for (int i = 0; i < length; i++)
            {
                arena[i] = (sbyte)Range(-128, 127);
            }

            return arena;
        }

        /// <summary>A gap of 0 to 7 bytes, between tensors in a case's arena.</summary>
        public int Gap()
        {
            return Range(0, 7);
        }
    }
}
