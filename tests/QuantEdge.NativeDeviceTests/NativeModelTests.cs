using nanoFramework.TestFramework;
using QuantEdge.DeviceTests;
using QuantEdge.DeviceTests.Support;
using QuantEdge.Runtime;

namespace QuantEdge.NativeDeviceTests
{
    /// <summary>
    /// Whole models on the native kernels, as an application loads them: Model.Load picks them here
    /// (KernelPath.Native), the blob's golden vector passes, every stored row's int8 outputs equal the .NET
    /// build's, and the last layer's int32 sums equal the managed model's.
    /// </summary>
    [TestClass]
    public class NativeModelTests
    {
        [TestMethod]
        [DataRow("DemoMlp", 810)]
        [DataRow("Cnn", 50)]
        [DataRow("EveryOpInt8Rows", 50)]
        [DataRow("EveryOpInt64Pairs", 50)]
        [DataRow("SmallCnnInt64Pairs", 50)]
        [DataRow("SensorMlp", 50)]
        [DataRow("PetalWidthMlp", 45)]
        [DataRow("RadarAutoencoder", 106)]
        public void NativeModelGivesTheDotNetOutputs(string name, int rows)
        {
            byte[] blob = Resources.GetBytes(TestModel.Blob(name));
            Model model = Model.Load(blob);
            Assert.AreEqual((int)KernelPath.Native, (int)model.Kernels, name + ": Model.Kernels");
            Assert.IsTrue(model.SelfTest(), name + ": the golden vector does not match");
            ModelRows.AssertOutputs(model, name, rows);

            Model managed = Model.Load(blob, false);
            if (managed.OutputAccumulatorCount > 0)
            {
                int[] expected = new int[managed.OutputAccumulatorCount];
                int[] sums = new int[model.OutputAccumulatorCount];
                managed.SetInputs(managed.GetGoldenInput());
                managed.InvokeAccumulators(expected);
                model.SetInputs(model.GetGoldenInput());
                model.InvokeAccumulators(sums);
                for (int i = 0; i < expected.Length; i++)
                {
                    Assert.AreEqual(expected[i], sums[i], name + ": accumulator " + i.ToString());
                }
            }
        }
    }
}
