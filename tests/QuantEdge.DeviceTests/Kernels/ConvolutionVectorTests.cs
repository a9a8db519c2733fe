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
            Conv2DParams p = new Conv2DParams();
            SetGeometry(p, set);
            int depth = set.Field("filter_h") * set.Field("filter_w") * p.InputDepth;
            p.Weights = ChannelWeights.FromInt8(set.SBytes("weights"), p.OutputDepth, depth, layout);
            return Run(p, set, true);
        }

        private static sbyte[] RunDepthwise(DataRecord set)
        {
            DepthwiseConv2DParams p = new DepthwiseConv2DParams();
            SetGeometry(p, set);
            p.DepthMultiplier = set.Field("ch_mult");
            p.Weights = set.SBytes("weights");
            p.Accumulators = new int[p.OutputDepth];
            return Run(p, set, false);
        }

        /// <summary>CMSIS-NN's conventions to ours: zero points rather than offsets, a null bias already zeros.</summary>
        private static void SetGeometry(ConvolutionParams p, DataRecord set)
        {
            p.Batches = set.Field("batches");
            p.InputHeight = set.Field("input_h");
            p.InputWidth = set.Field("input_w");
            p.InputDepth = set.Field("in_ch");
            p.OutputHeight = set.Field("output_h");
            p.OutputWidth = set.Field("output_w");
            p.OutputDepth = set.Field("out_ch");
            p.FilterHeight = set.Field("filter_h");
            p.FilterWidth = set.Field("filter_w");
            p.StrideHeight = set.Field("stride_h");
            p.StrideWidth = set.Field("stride_w");
            p.DilationHeight = set.Field("dilation_h");
            p.DilationWidth = set.Field("dilation_w");
            p.PadTop = set.Field("pad_top");
            p.PadLeft = set.Field("pad_left");
            p.InputZeroPoint = set.Field("input_zero_point");
            p.Bias = set.Ints("bias");
            p.OutputMultiplier = set.Ints("output_multiplier");
            p.OutputShift = set.Ints("output_shift");
            p.OutputZeroPoint = set.Field("output_zero_point");
            p.ActivationMin = set.Field("activation_min");
            p.ActivationMax = set.Field("activation_max");
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
