namespace QuantEdge.Runtime.Format
{
    /// <summary>
    /// Per-channel requantization stored compactly: a layer whose channel weight scales sit on a grid
    /// of 32 steps per octave below its largest one (8 octaves) stores one base multiplier and shift,
    /// and one byte per channel (its grid index k) instead of a 4-byte multiplier and a shift. The device expands
    /// them once at load, here; the host calls this same code, so both get the same multipliers.
    /// </summary>
    public static class ChannelScales
    {
        /// <summary>Grid steps per octave.</summary>
        public const int StepsPerOctave = 32;

        /// <summary>2^(−i/32) in Q0.31 for i = 1..31 (rounded to nearest); entry 0 is unused (2^0 is exact).</summary>
        private static readonly int[] OctaveFraction =
        {
            0, 2101467502, 2056437387, 2012372174, 1969251188, 1927054196, 1885761398, 1845353420,
            1805811301, 1767116489, 1729250827, 1692196547, 1655936265, 1620452965, 1585730000, 1551751076,
            1518500250, 1485961921, 1454120821, 1422962010, 1392470869, 1362633090, 1333434672, 1304861917,
            1276901417, 1249540052, 1222764986, 1196563654, 1170923762, 1145833280, 1121280436, 1097253708,
        };

        /// <summary>
        /// The multiplier and shift of channel scale index <paramref name="index"/> (0..255): the base
        /// times 2^(−index/32), renormalised to a multiplier in [2^30, 2^31) with the product rounded
        /// half up. The base multiplier must be in [2^30, 2^31).
        /// </summary>
        public static void Expand(int baseMultiplier, int baseShift, int index, out int multiplier, out int shift)
        {
            int step = index & (StepsPerOctave - 1);
            shift = baseShift - index / StepsPerOctave;
            if (step == 0)
            {
                multiplier = baseMultiplier;
                return;
            }

            // Q31 × Q31: the product is in [2^60, 2^62); keep its 31 significant bits, rounding half up.
            long product = (long)baseMultiplier * OctaveFraction[step];
            int drop = product >= 1L << 61 ? 31 : 30;
            long rounded = (product + (1L << (drop - 1))) >> drop;
            shift -= 31 - drop;
            if (rounded == 1L << 31)
            {
                rounded >>= 1;
                shift++;
            }

            multiplier = (int)rounded;
        }
    }
}
