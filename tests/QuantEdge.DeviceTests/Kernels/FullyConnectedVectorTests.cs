using nanoFramework.TestFramework;
using QuantEdge.DeviceTests.Support;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.DeviceTests.Kernels
{
    /// <summary>FullyConnected on all 7 CMSIS-NN sets, in both weight layouts, bit for bit.</summary>
    [TestClass]
    public class FullyConnectedVectorTests
    {
        private static WeightLayout layout;

        [TestMethod]
        [DataRow(0)] // WeightLayout.Int8Rows
        [DataRow(1)] // WeightLayout.Int64Pairs
        public void MatchesCmsisNn(int weightLayout)
        {
            layout = (WeightLayout)weightLayout;
            CmsisSets.CheckAll(Resources.BinaryResources.CmsisFullyConnected, 7, "FullyConnected", Run);
        }

        /// <summary>
        /// CMSIS-NN's conventions to ours, as the .NET tests adapt them: the input zero point is folded
        /// into the bias (with the weight zero point's cross term), the filter offset is the weight zero point.
        /// </summary>
        private static sbyte[] Run(DataRecord set)
        {
            int batches = set.Field("batches"), depth = set.Field("accumulation_depth"), outputs = set.Field("out_ch");
            int inputZeroPoint = set.Field("input_zero_point"), weightZeroPoint = set.Field("filter_zero_point");
            sbyte[] weights = set.SBytes("weights");
            int[] bias = set.Ints("bias");
            for (int o = 0; o < outputs; o++)
            {
                int sumW = 0;
                for (int k = 0; k < depth; k++)
                {
                    sumW += weights[o * depth + k];
                }

                bias[o] += -inputZeroPoint * sumW + depth * inputZeroPoint * weightZeroPoint;
            }

            FullyConnectedParams p = new FullyConnectedParams();
            p.Batches = batches;
            p.InputDepth = depth;
            p.OutputDepth = outputs;
            p.Weights = ChannelWeights.FromInt8(weights, outputs, depth, layout);
            p.Bias = bias;
            p.WeightZeroPoint = weightZeroPoint;
            p.OutputMultiplier = set.Ints("output_multiplier");
            p.OutputShift = set.Ints("output_shift");
            p.OutputZeroPoint = set.Field("output_zero_point");
            p.ActivationMin = set.Field("activation_min");
            p.ActivationMax = set.Field("activation_max");

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
