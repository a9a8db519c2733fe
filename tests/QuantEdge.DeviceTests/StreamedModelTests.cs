using System;
using nanoFramework.TestFramework;
using QuantEdge.DeviceTests.Support;
using QuantEdge.Runtime;

namespace QuantEdge.DeviceTests
{
    /// <summary>
    /// A model whose weights do not fit an ESP32's heap (142,592 int8 weights; a WROOM leaves about 79 KB) runs with
    /// every layer's weights streamed (WeightLayout.Streamed): read during each Invoke from where the model lives, here
    /// the binary resource itself (through ResourceUtility.GetObject, as the firmware's ResourceStorage reads a model) or
    /// the blob in an array. Its outputs equal the .NET build's for every stored row, its heap after Model.Load is
    /// measured (GC.Run(false) before and after) and printed, and Invoke from an array allocates nothing.
    /// </summary>
    [TestClass]
    public class StreamedModelTests
    {
        private const string Name = "StreamedMlp";

        /// <summary>Streamed weights in the model: 19·512 + 512·256 + 256·7.</summary>
        private const int StreamedWeights = 142592;

        [TestMethod]
        public void RunsFromTheResourceWithoutEverHoldingTheBlob()
        {
            int length = BlobLength();
            ResourceSource source = new ResourceSource(Resources.ResourceManager, TestModel.Blob(Name), length);
            // Once first, so that nothing the first read of this resource sets up (or frees) falls into the measurement.
            Model.Load(source);
            long before = nanoFramework.Runtime.Native.GC.Run(false);
            loaded = Model.Load(source);
            long after = nanoFramework.Runtime.Native.GC.Run(false);
            long held = before - after;
            Assert.AreEqual(0, loaded.WeightBytes, "weights held in RAM");
            Assert.AreEqual(8 * 512, loaded.StreamBufferBytes, "the shared buffer: eight rows of the deepest layer");
            // The loaded model keeps its parameters, arena and buffer: less than a quarter of its weights' bytes.
            Assert.IsTrue(held < StreamedWeights / 4, "the loaded model holds " + held.ToString() + " bytes of heap");
            int reads = source.Reads;
            ModelRows.AssertOutputs(loaded, Name, 100);
            // One GetObject per row read: 512 + 256 + 7 rows per Invoke, the rows plus the self-test's one Invoke.
            Assert.AreEqual(101 * (512 + 256 + 7), source.Reads - reads, "resource reads");
            PrintHeap("resource", length, held, after);
        }

        [TestMethod]
        public void RunsFromTheBlobInAnArrayAndInvokeAllocatesNothing()
        {
            byte[] blob = Resources.GetBytes(TestModel.Blob(Name));
            Model.Load(blob);
            long before = nanoFramework.Runtime.Native.GC.Run(false);
            loaded = Model.Load(blob);
            long after = nanoFramework.Runtime.Native.GC.Run(false);
            Assert.IsTrue(before - after < StreamedWeights / 4, "the loaded model holds " + (before - after).ToString() + " bytes of heap");
            Assert.IsTrue(loaded.SelfTest(), Name + ": the golden vector does not match");
            long beforeInvoke = nanoFramework.Runtime.Native.GC.Run(false);
            for (int i = 0; i < 3; i++)
            {
                loaded.Invoke();
            }

            Assert.AreEqual(beforeInvoke, nanoFramework.Runtime.Native.GC.Run(false), "free heap after three Invokes");
            ModelRows.AssertOutputs(loaded, Name, 100);
            PrintHeap("array", blob.Length, before - after, after);
        }

        /// <summary>The model under test, in a static field so that dropping it frees it (the launcher gives tests no instance).</summary>
        private static Model loaded;

        /// <summary>
        /// Prints "streamed-heap,model,source,blob bytes,heap taken by Model.Load,heap freed by dropping the model": the second
        /// figure checks the first (both GC.Run(false) readings), free of whatever else a load may free or keep.
        /// </summary>
        private static void PrintHeap(string source, int blobBytes, long held, long afterLoad)
        {
            loaded = null;
            long freed = nanoFramework.Runtime.Native.GC.Run(false) - afterLoad;
            Console.WriteLine("streamed-heap," + Name + "," + source + "," + blobBytes.ToString() + "," + held.ToString() + "," + freed.ToString());
        }

        /// <summary>The blob's length from its header (bytes 8..11), as the firmware's ResourceStorage takes it.</summary>
        private static int BlobLength()
        {
            byte[] field = (byte[])nanoFramework.Runtime.Native.ResourceUtility.GetObject(Resources.ResourceManager, TestModel.Blob(Name), 8, 4);
            return field[0] | field[1] << 8 | field[2] << 16 | field[3] << 24;
        }
    }
}
