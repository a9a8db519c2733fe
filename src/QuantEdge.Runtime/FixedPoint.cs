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

        // ---- gemmlowp's transcendental helpers, as TFLite's int8 softmax uses them ----------
        // Sums and differences below are plain int32 additions, as in gemmlowp: on the stated
        // input ranges they cannot overflow.

        /// <summary>
        /// exp(a) for a in [-1/4, 0), Q0.31 in and out: a 4th-order Taylor expansion around -1/8.
        /// Products round through <see cref="SaturatingRoundingDoublingHighMul"/>; the divisions by 4
        /// and 2 round half away from zero (<see cref="RoundingDivideByPowerOfTwo"/>).
        /// </summary>
        public static int ExpOnIntervalNegativeQuarterToZero(int a)
        {
            const int ExpMinusOneEighth = 1895147668; // exp(-1/8) in Q0.31
            const int OneThird = 715827883;           // 1/3 in Q0.31
            int x = a + (1 << 28);                    // a + 1/8
            int x2 = SaturatingRoundingDoublingHighMul(x, x);
            int x3 = SaturatingRoundingDoublingHighMul(x2, x);
            int x4 = SaturatingRoundingDoublingHighMul(x2, x2);
            int x4Over4 = RoundingDivideByPowerOfTwo(x4, 2);
            // (x^4/4 + x^3) / 3 + x^2, halved: x^4/24 + x^3/6 + x^2/2.
            int higherTerms = RoundingDivideByPowerOfTwo(SaturatingRoundingDoublingHighMul(x4Over4 + x3, OneThird) + x2, 1);
            return ExpMinusOneEighth + SaturatingRoundingDoublingHighMul(ExpMinusOneEighth, x + higherTerms);
        }

        /// <summary>
        /// exp(a) for a &lt;= 0 given in Q5.26 (so a &gt;= -32), result in Q0.31; exp(0) saturates to
        /// int.MaxValue. gemmlowp's exp_on_negative_values with 5 integer bits: the part of a modulo 1/4
        /// goes through <see cref="ExpOnIntervalNegativeQuarterToZero"/>, then each set bit of the rest
        /// multiplies in exp(-2^k), k = -2..4, each multiply rounding as
        /// <see cref="SaturatingRoundingDoublingHighMul"/> does.
        /// </summary>
        public static int ExpOnNegativeValues(int a)
        {
            const int OneQuarter = 1 << 24; // 1/4 in Q5.26
            int aModQuarterMinusQuarter = (a & (OneQuarter - 1)) - OneQuarter;
            // Q5.26 to Q0.31; the value is in [-1/4, 0), so the shift never saturates.
            int result = ExpOnIntervalNegativeQuarterToZero(SaturatingShiftLeft(aModQuarterMinusQuarter, 5));
            int remainder = aModQuarterMinusQuarter - a;
            if ((remainder & (1 << 24)) != 0) result = SaturatingRoundingDoublingHighMul(result, 1672461947); // exp(-1/4)
            if ((remainder & (1 << 25)) != 0) result = SaturatingRoundingDoublingHighMul(result, 1302514674); // exp(-1/2)
            if ((remainder & (1 << 26)) != 0) result = SaturatingRoundingDoublingHighMul(result, 790015084);  // exp(-1)
            if ((remainder & (1 << 27)) != 0) result = SaturatingRoundingDoublingHighMul(result, 290630308);  // exp(-2)
            if ((remainder & (1 << 28)) != 0) result = SaturatingRoundingDoublingHighMul(result, 39332535);   // exp(-4)
            if ((remainder & (1 << 29)) != 0) result = SaturatingRoundingDoublingHighMul(result, 720401);     // exp(-8)
            if ((remainder & (1 << 30)) != 0) result = SaturatingRoundingDoublingHighMul(result, 242);        // exp(-16)
            return a == 0 ? int.MaxValue : result;
        }

        /// <summary>
        /// 1 / (1 + a) for a in [0, 1), Q0.31 in and out (result in (1/2, 1]; 1 saturates to
        /// int.MaxValue). gemmlowp's one_over_one_plus_x_for_x_in_0_1: three Newton-Raphson steps on
        /// the half denominator in Q2.29, products rounding as <see cref="SaturatingRoundingDoublingHighMul"/>,
        /// rescales by <see cref="SaturatingShiftLeft"/>.
        /// </summary>
        public static int OneOverOnePlusX(int a)
        {
            const int FortyEightOverSeventeen = 1515870810;        // 48/17 in Q2.29
            const int MinusThirtyTwoOverSeventeen = -1010580540;   // -32/17 in Q2.29
            const int OneQ2 = 1 << 29;
            int halfDenominator = RoundingHalfSum(a, int.MaxValue); // (1 + a) / 2 in Q0.31
            int x = FortyEightOverSeventeen + SaturatingRoundingDoublingHighMul(halfDenominator, MinusThirtyTwoOverSeventeen);
            for (int i = 0; i < 3; i++)
            {
                int oneMinusHalfDenominatorTimesX = OneQ2 - SaturatingRoundingDoublingHighMul(halfDenominator, x);
                // Q2.29 × Q2.29 is Q4.27: back to Q2.29 with a saturating shift.
                x += SaturatingShiftLeft(SaturatingRoundingDoublingHighMul(x, oneMinusHalfDenominatorTimesX), 2);
            }

            // x approximates 1 / halfDenominator = 2 / (1 + a) in Q2.29: halve and move to Q0.31.
            return SaturatingShiftLeft(x, 1);
        }

        /// <summary>
        /// 1 / x for x &gt; 0 given with <paramref name="integerBits"/> integer bits (TFLite's GetReciprocal):
        /// returns the Q0.31 significand s in (1/2, 1] with 1/x ≈ s × 2^-bitsOverUnit. x is normalised to
        /// 1 + y, y in [0, 1), exactly (a shift), then <see cref="OneOverOnePlusX"/> rounds.
        /// </summary>
        public static int Reciprocal(int x, int integerBits, out int bitsOverUnit)
        {
            int headroomPlusOne = CountLeadingZeros((uint)x);
            bitsOverUnit = integerBits - headroomPlusOne;
            int shiftedMinusOne = (int)(((uint)x << headroomPlusOne) - 0x80000000u);
            return OneOverOnePlusX(shiftedMinusOne);
        }
    }
}
