using nanoFramework.TestFramework;
using QuantEdge.DeviceTests.Support;
using QuantEdge.Runtime;

namespace QuantEdge.DeviceTests
{
    /// <summary>
    /// Whole models loaded from binary resources, as an application loads them: the blob's golden
    /// vector passes, and every stored row's int8 outputs equal the .NET build's, bit for bit. The
    /// demo MLP, the regression and anomaly examples and the benchmarks' CNN are quantized models; the TestModels between them use every
    /// op of the runtime (lookup tables, concat and global average pool included, which have no
    /// CMSIS-NN sets), both weight layouts and compact requantization.
    /// </summary>
    [TestClass]
    public class ModelTests
    {
        [TestMethod]
        [DataRow("DemoMlp")]
        [DataRow("Cnn")]
        [DataRow("CnnSmallRam")]
        [DataRow("EveryOpInt8Rows")]
        [DataRow("EveryOpInt64Pairs")]
        [DataRow("SmallCnnInt64Pairs")]
        [DataRow("SensorMlp")]
        [DataRow("PetalWidthMlp")]
        [DataRow("RadarAutoencoder")]
        [DataRow("NewerOps")]
        [DataRow("StreamedMlp")]
        public void LoadsAndPassesItsSelfTest(string name)
        {
            Model model = Model.Load(Resources.GetBytes(TestModel.Blob(name)));
            Assert.IsTrue(model.SelfTest(), name + ": the golden vector does not match");
        }

        /// <summary>
        /// The demo: all 810 rows of the held-out test split; the regression and anomaly examples: all 45 and 106 rows of
        /// theirs; the CNN and the test models (NewerOps: the operators added for issue 14): 50 generated rows each; the CNN
    /// quantized for 20 KB of RAM (its dense layer streamed one row at a time from the blob array): 20.
        /// </summary>
        [TestMethod]
        [DataRow("DemoMlp", 810)]
        [DataRow("Cnn", 50)]
        [DataRow("CnnSmallRam", 20)]
        [DataRow("EveryOpInt8Rows", 50)]
        [DataRow("EveryOpInt64Pairs", 50)]
        [DataRow("SmallCnnInt64Pairs", 50)]
        [DataRow("SensorMlp", 50)]
        [DataRow("PetalWidthMlp", 45)]
        [DataRow("RadarAutoencoder", 106)]
        [DataRow("NewerOps", 50)]
        public void OutputsEqualTheDotNetBuild(string name, int rows)
        {
            Model model = Model.Load(Resources.GetBytes(TestModel.Blob(name)));
            ModelRows.AssertOutputs(model, name, rows);
        }
    }
}
