using nanoFramework.TestFramework;
using QuantEdge.DeviceTests.Support;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.DeviceTests.Kernels
{
    /// <summary>
    /// Conv2D on all 26 CMSIS-NN sets in both weight layouts, and DepthwiseConv2D on all 14, bit for
    /// bit: 1×N filters, strides, padding on every side, dilation, batches, fused clamps.
    /// </summary>
    [TestClass]
    public class ConvolutionVectorTests
    {
        private static WeightLayout layout;

        [TestMethod]
        [DataRow(0)] // WeightLayout.Int8Rows
        [DataRow(1)] // WeightLayout.Int64Pairs
        public void Conv2DMatchesCmsisNn(int weightLayout)
        {
            layout = (WeightLayout)weightLayout;
            CmsisSets.CheckAll(Resources.BinaryResources.CmsisConv2D, 26, "Conv2D", RunConv2D);
        }

        [TestMethod]
        public void DepthwiseConv2DMatchesCmsisNn()
        {
            CmsisSets.CheckAll(Resources.BinaryResources.CmsisDepthwiseConv2D, 14, "DepthwiseConv2D", RunDepthwise);
        }

        private static sbyte[] RunConv2D(DataRecord set)
        {
            return Run(CmsisLayers.Conv2D(set, layout), set, true);
        }

        private static sbyte[] RunDepthwise(DataRecord set)
        {
            return Run(CmsisLayers.DepthwiseConv2D(set), set, false);
        }

        private static sbyte[] Run(ConvolutionParams p, DataRecord set, bool regular)
        {
            sbyte[] input = set.SBytes("input");
            int length = p.Batches * p.OutputHeight * p.OutputWidth * p.OutputDepth;
            GuardedArena arena = new GuardedArena(input.Length + length);
            int inputOffset = arena.Place(input);
            int outputOffset = arena.Reserve(length);
            arena.Seal();
            if (regular)
            {
                Conv2D.Eval((Conv2DParams)p, arena.Data, inputOffset, outputOffset);
            }
            else
            {
                DepthwiseConv2D.Eval((DepthwiseConv2DParams)p, arena.Data, inputOffset, outputOffset);
            }

            return arena.Output(outputOffset, length);
        }
    }
}
