using nanoFramework.TestFramework;
using QuantEdge.DeviceTests.Support;
using QuantEdge.Runtime;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.DeviceTests
{
    /// <summary>
    /// Pseudo-random arguments for each fixed-point primitive (and the kernels' fused output stage),
    /// with the results the .NET build computed for them (resource FixedPointCases, made by
    /// tools/DeviceTest generate): the device must compute the same bits for every one.
    /// </summary>
    [TestClass]
    public class FixedPointHostCaseTests
    {
        /// <summary>Cases per function in the resource (FixedPointCases.CasesPerFunction on the host).</summary>
        private const int CasesPerFunction = 500;

        [TestMethod]
        [DataRow("SaturatingRoundingDoublingHighMul")]
        [DataRow("RoundingDivideByPowerOfTwo")]
        [DataRow("MultiplyByQuantizedMultiplier")]
        [DataRow("SaturatingShiftLeft")]
        [DataRow("RoundingHalfSum")]
        [DataRow("CountLeadingZeros")]
        [DataRow("ExpOnIntervalNegativeQuarterToZero")]
        [DataRow("ExpOnNegativeValues")]
        [DataRow("OneOverOnePlusX")]
        [DataRow("Reciprocal")]
        [DataRow("OutputStage.Requantize")]
        public void MatchesTheDotNetBuild(string function)
        {
            DataFile file = DataFile.Open(Resources.BinaryResources.FixedPointCases);
            DataRecord record = file.Read(file.IndexOf(function));
            int cases = record.Field("cases"), arity = record.Field("arguments"), outputs = record.Field("results");
            int[] arguments = record.Ints("arguments");
            int[] expected = record.Ints("results");
            Assert.AreEqual(CasesPerFunction, cases, "cases in the resource");
            Assert.AreEqual(cases * arity, arguments.Length, "arguments");
            Assert.AreEqual(cases * outputs, expected.Length, "results");

            Failures failures = new Failures();
            int[] actual = new int[outputs];
            for (int c = 0; c < cases; c++)
            {
                Evaluate(function, arguments, c * arity, actual);
                for (int k = 0; k < outputs; k++)
                {
                    if (actual[k] != expected[c * outputs + k])
                    {
                        failures.Add(Describe(arguments, c * arity, arity) + " gave " + actual[k].ToString() + ", .NET " + expected[c * outputs + k].ToString());
                    }
                }
            }

            failures.AssertNone(cases, function + " cases");
        }

        private static void Evaluate(string function, int[] a, int i, int[] result)
        {
            switch (function)
            {
                case "SaturatingRoundingDoublingHighMul":
                    result[0] = FixedPoint.SaturatingRoundingDoublingHighMul(a[i], a[i + 1]);
                    break;
                case "RoundingDivideByPowerOfTwo":
                    result[0] = FixedPoint.RoundingDivideByPowerOfTwo(a[i], a[i + 1]);
                    break;
                case "MultiplyByQuantizedMultiplier":
                    result[0] = FixedPoint.MultiplyByQuantizedMultiplier(a[i], a[i + 1], a[i + 2]);
                    break;
                case "SaturatingShiftLeft":
                    result[0] = FixedPoint.SaturatingShiftLeft(a[i], a[i + 1]);
                    break;
                case "RoundingHalfSum":
                    result[0] = FixedPoint.RoundingHalfSum(a[i], a[i + 1]);
                    break;
                case "CountLeadingZeros":
                    result[0] = FixedPoint.CountLeadingZeros((uint)a[i]);
                    break;
                case "ExpOnIntervalNegativeQuarterToZero":
                    result[0] = FixedPoint.ExpOnIntervalNegativeQuarterToZero(a[i]);
                    break;
                case "ExpOnNegativeValues":
                    result[0] = FixedPoint.ExpOnNegativeValues(a[i]);
                    break;
                case "OneOverOnePlusX":
                    result[0] = FixedPoint.OneOverOnePlusX(a[i]);
                    break;
                case "Reciprocal":
                    int bitsOverUnit;
                    result[0] = FixedPoint.Reciprocal(a[i], a[i + 1], out bitsOverUnit);
                    result[1] = bitsOverUnit;
                    break;
                case "OutputStage.Requantize":
                    result[0] = OutputStage.Requantize(a[i], a[i + 1], a[i + 2], a[i + 3], a[i + 4], a[i + 5]);
                    break;
                default:
                    throw new System.ArgumentException("unknown function " + function);
            }
        }

        private static string Describe(int[] a, int start, int count)
        {
            string text = "(";
            for (int k = 0; k < count; k++)
            {
                text += (k == 0 ? "" : ", ") + a[start + k].ToString();
            }

            return text + ")";
        }
    }
}
