using nanoFramework.TestFramework;
using QuantEdge.Runtime;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.DeviceTests
{
    /// <summary>
    /// The fixed-point primitives at the values where rounding, shifting and saturation change, with
    /// the results their definitions give (the .NET tests hold the same values against exact
    /// BigInteger references): on the interpreter, Int64 arithmetic and shifts must agree with .NET's.
    /// </summary>
    [TestClass]
    public class FixedPointEdgeTests
    {
        [TestMethod]
        public void SaturatingRoundingDoublingHighMul_SaturatesOnlyForMinValueSquared()
        {
            Assert.AreEqual(int.MaxValue, FixedPoint.SaturatingRoundingDoublingHighMul(int.MinValue, int.MinValue));
            // (2^31 - 1) · 2^31 / 2^31 is exactly int.MaxValue: representable, so not a saturation.
            Assert.AreEqual(int.MaxValue, FixedPoint.SaturatingRoundingDoublingHighMul(int.MinValue + 1, int.MinValue));
            Assert.AreEqual(-int.MaxValue, FixedPoint.SaturatingRoundingDoublingHighMul(int.MinValue, int.MaxValue));
            Assert.AreEqual(0, FixedPoint.SaturatingRoundingDoublingHighMul(0, int.MinValue));
        }

        [TestMethod]
        public void SaturatingRoundingDoublingHighMul_RoundsTiesTowardPlusInfinity()
        {
            Assert.AreEqual(1, FixedPoint.SaturatingRoundingDoublingHighMul(1 << 30, 1));        // +0.5 → 1
            Assert.AreEqual(0, FixedPoint.SaturatingRoundingDoublingHighMul(-(1 << 30), 1));     // -0.5 → 0
            Assert.AreEqual(-1, FixedPoint.SaturatingRoundingDoublingHighMul(-(1 << 30) - 1, 1)); // just below -0.5 → -1
            Assert.AreEqual(-1, FixedPoint.SaturatingRoundingDoublingHighMul(3 << 29, -2));      // -1.5 → -1
        }

        [TestMethod]
        public void RoundingDivideByPowerOfTwo_RoundsTiesAwayFromZero()
        {
            Assert.AreEqual(3, FixedPoint.RoundingDivideByPowerOfTwo(5, 1));    // 2.5 → 3
            Assert.AreEqual(-3, FixedPoint.RoundingDivideByPowerOfTwo(-5, 1));  // -2.5 → -3
            Assert.AreEqual(-2, FixedPoint.RoundingDivideByPowerOfTwo(-3, 1));  // -1.5 → -2
            Assert.AreEqual(-1, FixedPoint.RoundingDivideByPowerOfTwo(-1, 1));  // -0.5 → -1
            Assert.AreEqual(-2, FixedPoint.RoundingDivideByPowerOfTwo(-6, 2));  // -1.5 → -2
            Assert.AreEqual(-1, FixedPoint.RoundingDivideByPowerOfTwo(-5, 2));  // -1.25 → -1
        }

        [TestMethod]
        public void RoundingDivideByPowerOfTwo_ShiftsZeroAndThirtyOne()
        {
            Assert.AreEqual(int.MinValue, FixedPoint.RoundingDivideByPowerOfTwo(int.MinValue, 0));
            Assert.AreEqual(int.MaxValue, FixedPoint.RoundingDivideByPowerOfTwo(int.MaxValue, 0));
            Assert.AreEqual(-7, FixedPoint.RoundingDivideByPowerOfTwo(-7, 0));
            Assert.AreEqual(-1, FixedPoint.RoundingDivideByPowerOfTwo(int.MinValue, 31));      // -1 exactly
            Assert.AreEqual(1, FixedPoint.RoundingDivideByPowerOfTwo(int.MaxValue, 31));       // just under 1
            Assert.AreEqual(1, FixedPoint.RoundingDivideByPowerOfTwo(1 << 30, 31));            // 0.5 → 1
            Assert.AreEqual(-1, FixedPoint.RoundingDivideByPowerOfTwo(-(1 << 30), 31));        // -0.5 → -1
            Assert.AreEqual(0, FixedPoint.RoundingDivideByPowerOfTwo((1 << 30) - 1, 31));
            Assert.AreEqual(0, FixedPoint.RoundingDivideByPowerOfTwo(-(1 << 30) + 1, 31));
        }

        [TestMethod]
        public void MultiplyByQuantizedMultiplier_ComposesWrapMultiplyAndRoundingShift()
        {
            Assert.AreEqual(int.MaxValue, FixedPoint.MultiplyByQuantizedMultiplier(int.MinValue, int.MinValue, 0));
            // The left shift wraps (2^30 << 1 = int.MinValue) before the multiply, as TFLite's does.
            Assert.AreEqual(-(1 << 30), FixedPoint.MultiplyByQuantizedMultiplier(1 << 30, 1 << 30, 1));
            Assert.AreEqual(25, FixedPoint.MultiplyByQuantizedMultiplier(100, 1 << 30, -1));
            // -3 × 0.5 = -1.5 rounds to -1 (toward +infinity), then -0.5 rounds away from zero to -1.
            Assert.AreEqual(-1, FixedPoint.MultiplyByQuantizedMultiplier(-3, 1 << 30, -1));
            Assert.AreEqual(1, FixedPoint.MultiplyByQuantizedMultiplier(int.MaxValue, int.MaxValue, -31));
            Assert.AreEqual(-1, FixedPoint.MultiplyByQuantizedMultiplier(int.MinValue, int.MaxValue, -31));
        }

        [TestMethod]
        public void SaturatingShiftLeft_SaturatesPastTheRange()
        {
            Assert.AreEqual(int.MaxValue, FixedPoint.SaturatingShiftLeft(1 << 29, 2));
            Assert.AreEqual(int.MaxValue - 3, FixedPoint.SaturatingShiftLeft((1 << 29) - 1, 2));
            Assert.AreEqual(int.MinValue, FixedPoint.SaturatingShiftLeft(-(1 << 29), 2));
            Assert.AreEqual(int.MinValue + 4, FixedPoint.SaturatingShiftLeft(-(1 << 29) + 1, 2));
            Assert.AreEqual(1 << 30, FixedPoint.SaturatingShiftLeft(1, 30));
            Assert.AreEqual(int.MaxValue, FixedPoint.SaturatingShiftLeft(2, 30));
            Assert.AreEqual(int.MinValue, FixedPoint.SaturatingShiftLeft(-2, 30));
            Assert.AreEqual(-(1 << 30), FixedPoint.SaturatingShiftLeft(-1, 30));
        }

        [TestMethod]
        public void RoundingHalfSum_NeverOverflows()
        {
            Assert.AreEqual(int.MaxValue, FixedPoint.RoundingHalfSum(int.MaxValue, int.MaxValue));
            Assert.AreEqual(int.MinValue, FixedPoint.RoundingHalfSum(int.MinValue, int.MinValue));
            Assert.AreEqual(2, FixedPoint.RoundingHalfSum(1, 2));                      // 1.5 → 2
            Assert.AreEqual(-2, FixedPoint.RoundingHalfSum(-1, -2));                   // -1.5 → -2
            Assert.AreEqual(-1, FixedPoint.RoundingHalfSum(int.MaxValue, int.MinValue)); // -0.5 → -1
        }

        [TestMethod]
        public void CountLeadingZeros_CountsUnsignedBits()
        {
            Assert.AreEqual(32, FixedPoint.CountLeadingZeros(0));
            Assert.AreEqual(31, FixedPoint.CountLeadingZeros(1));
            Assert.AreEqual(0, FixedPoint.CountLeadingZeros(0x80000000u));
            Assert.AreEqual(0, FixedPoint.CountLeadingZeros(0xFFFFFFFFu));
            Assert.AreEqual(15, FixedPoint.CountLeadingZeros(0x10000u));
        }

        [TestMethod]
        public void Transcendentals_SaturateAtOneAndApproximateNearIt()
        {
            Assert.AreEqual(int.MaxValue, FixedPoint.ExpOnNegativeValues(0));          // exp(0) = 1 saturates
            Assert.AreEqual(0, FixedPoint.ExpOnNegativeValues(int.MinValue));          // exp(-32) is below one Q0.31 step
            // exp(-1) and exp(-1/4) in Q0.31 are 790015084 and 1672461947: within a few hundred steps.
            AssertNear(790015084, FixedPoint.ExpOnNegativeValues(-(1 << 26)), 1000);
            AssertNear(1672461947, FixedPoint.ExpOnIntervalNegativeQuarterToZero(-(1 << 29)), 1000);
            Assert.AreEqual(int.MaxValue, FixedPoint.OneOverOnePlusX(0));              // 1/1 saturates
            AssertNear(1 << 30, FixedPoint.OneOverOnePlusX(int.MaxValue), 16);         // 1/2
            int bitsOverUnit;
            Assert.AreEqual(int.MaxValue, FixedPoint.Reciprocal(1 << 19, 12, out bitsOverUnit)); // 1 / 1.0 in Q12.19
            Assert.AreEqual(0, bitsOverUnit);
        }

        [TestMethod]
        public void OutputStage_ClampsAfterTheZeroPoint()
        {
            Assert.AreEqual((sbyte)127, OutputStage.Requantize(int.MaxValue, int.MaxValue, 0, 0, -128, 127));
            Assert.AreEqual((sbyte)-128, OutputStage.Requantize(int.MinValue, int.MaxValue, 0, 0, -128, 127));
            Assert.AreEqual((sbyte)100, OutputStage.Requantize(0, 1 << 30, -5, 100, -128, 127));
            Assert.AreEqual((sbyte)20, OutputStage.Requantize(1000, 1 << 30, -3, 0, -10, 20));   // 62.5 → 63, clamped to 20
            Assert.AreEqual((sbyte)-10, OutputStage.Requantize(-1000, 1 << 30, -3, 0, -10, 20));
            Assert.AreEqual((sbyte)0, OutputStage.Requantize(40, 1 << 30, -3, -3, -128, 127));   // 2.5 → 3, + (-3)
            Assert.AreEqual((sbyte)-2, OutputStage.Requantize(-24, 1 << 30, -3, 0, -128, 127));  // -1.5 → -2
        }

        private static void AssertNear(int expected, int actual, int tolerance)
        {
            int difference = actual - expected;
            Assert.IsTrue(difference <= tolerance && difference >= -tolerance,
                "expected " + expected.ToString() + " ± " + tolerance.ToString() + ", got " + actual.ToString());
        }
    }
}
