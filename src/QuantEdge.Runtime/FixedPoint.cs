namespace QuantEdge.Runtime
{
    /// <summary>
    /// Integer fixed-point primitives with the exact rounding of TFLite's int8 kernels
    /// (gemmlowp's fixedpoint, TFLite "double rounding", i.e. TFLITE_SINGLE_ROUNDING off).
    /// Every kernel requantizes through these, so the host and the device agree to the bit.
    /// No floating point, no allocation; Int64 arithmetic only where a product needs it.
    /// </summary>
    public static class FixedPoint
    {
        /// <summary>
        /// (a * b * 2) / 2^32, the high 32 bits of the doubled 64-bit product, rounded to nearest
        /// with ties toward +infinity (a nudge of ±2^30, then truncation toward zero). The only
        /// overflowing case, int.MinValue * int.MinValue (= +1.0 in Q0.31), saturates to int.MaxValue.
        /// </summary>
        public static int SaturatingRoundingDoublingHighMul(int a, int b)
        {
            if (a == int.MinValue && b == int.MinValue)
            {
                return int.MaxValue;
            }

            long product = (long)a * b;
            // Shifts rather than a 64-bit division (slow on a 32-bit core); for a negative sum the
            // shift of its magnitude truncates toward zero as the reference division does.
            long nudged = product >= 0 ? product + (1L << 30) : product + (1 - (1L << 30));
            return (int)(nudged >= 0 ? nudged >> 31 : -((-nudged) >> 31));
        }

        /// <summary>
        /// x / 2^exponent rounded to nearest, ties away from zero; exponent in [0, 31].
        /// Uses an arithmetic shift plus a correction, so it never overflows.
        /// </summary>
        public static int RoundingDivideByPowerOfTwo(int x, int exponent)
        {
            int mask = (int)((1L << exponent) - 1);
            int remainder = x & mask;
            int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
            return (x >> exponent) + (remainder > threshold ? 1 : 0);
        }

        /// <summary>
        /// x * real multiplier, where the real multiplier is <paramref name="multiplier"/> / 2^31 *
        /// 2^<paramref name="shift"/> (multiplier a Q0.31 value, shift positive = left). This is
        /// TFLite's MultiplyByQuantizedMultiplier with double rounding: a wrapping left shift, a
        /// rounding doubling high multiply, then a rounding right shift.
        /// </summary>
        public static int MultiplyByQuantizedMultiplier(int x, int multiplier, int shift)
        {
            int leftShift = shift > 0 ? shift : 0;
            int rightShift = shift > 0 ? 0 : -shift;
            return RoundingDivideByPowerOfTwo(SaturatingRoundingDoublingHighMul(x << leftShift, multiplier), rightShift);
        }

        /// <summary>
        /// x * 2^exponent for a positive exponent, saturating to int.MinValue / int.MaxValue
        /// (gemmlowp's SaturatingRoundingMultiplyByPOT for exponents above zero; exponent in [1, 30]).
        /// </summary>
        public static int SaturatingShiftLeft(int x, int exponent)
        {
            int threshold = (1 << (31 - exponent)) - 1;
            if (x > threshold)
            {
                return int.MaxValue;
            }

            if (x < -threshold)
            {
                return int.MinValue;
            }

            return x << exponent;
        }

        /// <summary>(a + b) / 2 computed in 64 bits and rounded half away from zero (gemmlowp's RoundingHalfSum).</summary>
        public static int RoundingHalfSum(int a, int b)
        {
            long sum = (long)a + b;
            long sign = sum >= 0 ? 1 : -1;
            long twice = sum + sign;
            // Truncating division by two, without a 64-bit divide.
            return (int)(twice >= 0 ? twice >> 1 : -((-twice) >> 1));
        }

        /// <summary>Number of leading zero bits of x taken as unsigned; 32 for zero.</summary>
        public static int CountLeadingZeros(uint x)
        {
            if (x == 0)
            {
                return 32;
            }

            int n = 0;
            if ((x & 0xFFFF0000u) == 0) { n += 16; x <<= 16; }
            if ((x & 0xFF000000u) == 0) { n += 8; x <<= 8; }
            if ((x & 0xF0000000u) == 0) { n += 4; x <<= 4; }
            if ((x & 0xC0000000u) == 0) { n += 2; x <<= 2; }
            if ((x & 0x80000000u) == 0) { n += 1; }
            return n;
        }
    }
}
