using nanoFramework.TestFramework;
using QuantEdge.DeviceTests.Support;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.DeviceTests.Kernels
{
    /// <summary>AveragePool2D on all 6 CMSIS-NN sets and MaxPool2D on all 8, bit for bit.</summary>
    [TestClass]
    public class PoolVectorTests
    {
        [TestMethod]
        public void AveragePool2DMatchesCmsisNn()
        {
            CmsisSets.CheckAll(Resources.BinaryResources.CmsisAveragePool2D, 6, "AveragePool2D", RunAverage);
        }

        [TestMethod]
        public void MaxPool2DMatchesCmsisNn()
        {
            CmsisSets.CheckAll(Resources.BinaryResources.CmsisMaxPool2D, 8, "MaxPool2D", RunMax);
        }

        private static sbyte[] RunAverage(DataRecord set)
        {
            return Run(set, true);
        }

        private static sbyte[] RunMax(DataRecord set)
        {
            return Run(set, false);
        }

        private static sbyte[] Run(DataRecord set, bool average)
        {
            Pool2DParams p = CmsisLayers.Pool2D(set);
            Assert.IsTrue(p.EveryWindowOverlapsInput(), set.Name + ": a window lies wholly in the padding");

            sbyte[] input = set.SBytes("input");
            int length = p.Batches * p.OutputHeight * p.OutputWidth * p.Channels;
            GuardedArena arena = new GuardedArena(input.Length + length);
            int inputOffset = arena.Place(input);
            int outputOffset = arena.Reserve(length);
            arena.Seal();
            if (average)
            {
                AveragePool2D.Eval(p, arena.Data, inputOffset, outputOffset);
            }
            else
            {
                MaxPool2D.Eval(p, arena.Data, inputOffset, outputOffset);
            }

            return arena.Output(outputOffset, length);
        }
    }
}
