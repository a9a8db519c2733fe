using nanoFramework.TestFramework;
using QuantEdge.DeviceTests.Support;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.DeviceTests.Kernels
{
    /// <summary>FullyConnected on all 7 CMSIS-NN sets, in the three weight layouts, bit for bit.</summary>
    [TestClass]
    public class FullyConnectedVectorTests
    {
        private static WeightLayout layout;

        [TestMethod]
        [DataRow(0)] // WeightLayout.Int8Rows
        [DataRow(1)] // WeightLayout.Int64Pairs
        [DataRow(2)] // WeightLayout.Streamed: read from a byte array during Eval
        public void MatchesCmsisNn(int weightLayout)
        {
            layout = (WeightLayout)weightLayout;
            CmsisSets.CheckAll(Resources.BinaryResources.CmsisFullyConnected, 7, "FullyConnected", Run);
        }

        private static sbyte[] Run(DataRecord set)
        {
            FullyConnectedParams p = CmsisLayers.FullyConnected(set, layout);
            int batches = p.Batches, outputs = p.OutputDepth;
            sbyte[] input = set.SBytes("input");
            GuardedArena arena = new GuardedArena(input.Length + batches * outputs);
            int inputOffset = arena.Place(input);
            int outputOffset = arena.Reserve(batches * outputs);
            arena.Seal();
            FullyConnected.Eval(p, arena.Data, inputOffset, outputOffset);
            return arena.Output(outputOffset, batches * outputs);
        }
    }
}
