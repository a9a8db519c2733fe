namespace QuantEdge.DeviceTests.Support
{
    /// <summary>xorshift32 (Marsaglia): a deterministic generator on the device, so a failing mutation can be replayed.</summary>
    internal sealed class DevicePrng
    {
        private uint state;

        public DevicePrng(uint seed)
        {
            state = seed == 0 ? 1u : seed;
        }

        public uint NextUInt()
        {
            uint x = state;
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            state = x;
            return x;
        }

        /// <summary>Uniform enough in [0, count) for test mutations.</summary>
        public int Next(int count)
        {
            return (int)(NextUInt() % (uint)count);
        }
    }
}
