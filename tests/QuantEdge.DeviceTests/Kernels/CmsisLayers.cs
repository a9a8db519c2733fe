using QuantEdge.DeviceTests.Support;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.DeviceTests.Kernels
{
    /// <summary>
    /// A CMSIS-NN set's layer as our kernels' parameters: CMSIS-NN's conventions to ours, as the .NET tests adapt
    /// them (zero points rather than offsets, FullyConnected's input zero point folded into the bias, a null bias
    /// already zeros in the resources). The managed vector tests here and the native ones
    /// (tests/QuantEdge.NativeDeviceTests) build their layers through this one place.
    /// </summary>
    internal static class CmsisLayers
    {
        /// <summary>The input zero point is folded into the bias (with the weight zero point's cross term); the filter offset is the weight zero point.</summary>
        public static FullyConnectedParams FullyConnected(DataRecord set, WeightLayout layout)
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
            return p;
        }

        public static Conv2DParams Conv2D(DataRecord set, WeightLayout layout)
        {
            Conv2DParams p = new Conv2DParams();
            SetWindow(p, set);
            int depth = set.Field("filter_h") * set.Field("filter_w") * p.InputDepth;
            p.Weights = ChannelWeights.FromInt8(set.SBytes("weights"), p.OutputDepth, depth, layout);
            return p;
        }

        public static DepthwiseConv2DParams DepthwiseConv2D(DataRecord set)
        {
            DepthwiseConv2DParams p = new DepthwiseConv2DParams();
            SetWindow(p, set);
            p.DepthMultiplier = set.Field("ch_mult");
            p.Weights = set.SBytes("weights");
            QuantEdge.Runtime.Kernels.DepthwiseConv2D.AllocateScratch(p);
            return p;
        }

        /// <summary>Pool sets carry no offsets (input and output share their quantization): the fields map one to one.</summary>
        public static Pool2DParams Pool2D(DataRecord set)
        {
            Pool2DParams p = new Pool2DParams();
            p.Batches = set.Field("batches");
            p.InputHeight = set.Field("input_h");
            p.InputWidth = set.Field("input_w");
            p.Channels = set.Field("channels");
            p.OutputHeight = set.Field("output_h");
            p.OutputWidth = set.Field("output_w");
            p.FilterHeight = set.Field("filter_h");
            p.FilterWidth = set.Field("filter_w");
            p.StrideHeight = set.Field("stride_h");
            p.StrideWidth = set.Field("stride_w");
            p.PadTop = set.Field("pad_top");
            p.PadLeft = set.Field("pad_left");
            p.ActivationMin = set.Field("activation_min");
            p.ActivationMax = set.Field("activation_max");
            return p;
        }

        public static AddParams Add(DataRecord set)
        {
            AddParams p = new AddParams();
            SetElementwise(p, set);
            p.LeftShift = set.Field("left_shift");
            p.Input1Multiplier = set.Field("input1_multiplier");
            p.Input1Shift = set.Field("input1_shift");
            p.Input2Multiplier = set.Field("input2_multiplier");
            p.Input2Shift = set.Field("input2_shift");
            p.OutputMultiplier = set.Field("output_multiplier");
            p.OutputShift = set.Field("output_shift");
            return p;
        }

        public static MulParams Mul(DataRecord set)
        {
            MulParams p = new MulParams();
            SetElementwise(p, set);
            p.OutputMultiplier = set.Field("output_multiplier");
            p.OutputShift = set.Field("output_shift");
            return p;
        }

        public static SoftmaxParams Softmax(DataRecord set)
        {
            SoftmaxParams p = new SoftmaxParams();
            p.Rows = set.Field("num_rows");
            p.RowSize = set.Field("row_size");
            p.InputMultiplier = set.Field("input_multiplier");
            p.InputLeftShift = set.Field("input_left_shift");
            p.DiffMin = set.Field("diff_min");
            return p;
        }

        private static void SetWindow(ConvolutionParams p, DataRecord set)
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

        private static void SetElementwise(ElementwiseParams p, DataRecord set)
        {
            p.Size = set.Field("size");
            p.Input1ZeroPoint = set.Field("input1_zero_point");
            p.Input2ZeroPoint = set.Field("input2_zero_point");
            p.OutputZeroPoint = set.Field("output_zero_point");
            p.ActivationMin = set.Field("activation_min");
            p.ActivationMax = set.Field("activation_max");
        }
    }
}
