using nanoFramework.TestFramework;
using QuantEdge.DeviceTests.Support;
using QuantEdge.NativeDeviceTests.Cases;

namespace QuantEdge.NativeDeviceTests
{
    /// <summary>
    /// Every native kernel against its managed twin on random layers (Cases/: odd sizes, paddings, strides,
    /// dilations, depth multipliers, both weight layouts, asymmetric weights, in-place element-wise ops, extreme
    /// values, multipliers and shifts): the whole arena after the run and the int32 sums, bit for bit. The host
    /// runs the same cases and more against the C compiled natively (tests/QuantEdge.Native.Tests).
    /// </summary>
    [TestClass]
    public class NativeKernelTests
    {
        /// <summary>Cases per kernel on the interpreter (the managed side of each case runs at interpreter speed).</summary>
        public const int Cases = 500;

        [TestMethod]
        [DataRow("FullyConnected")]
        [DataRow("Conv2D")]
        [DataRow("DepthwiseConv2D")]
        [DataRow("MaxPool2D")]
        [DataRow("AveragePool2D")]
        [DataRow("GlobalAveragePool")]
        [DataRow("Add")]
        [DataRow("Mul")]
        [DataRow("Lookup")]
        [DataRow("Softmax")]
        [DataRow("Concat")]
        public void NativeKernelGivesTheManagedBytes(string kernel)
        {
            int kind = Kinds.Of(kernel);
            Assert.IsTrue(kind >= 0, "no kernel " + kernel);
            Failures failures = new Failures();
            for (int i = 0; i < Cases; i++)
            {
                string difference = CaseCheck.Difference(Kinds.Case(kind, i));
                if (difference != null)
                {
                    failures.Add(difference);
                }
            }

            failures.AssertNone(Cases, kernel + " cases");
        }
    }
}
