using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.Ops;
using QuantEdge.Compiler.Quantization.Lowering;
using QuantEdge.Runtime.Kernels;

// MaxPool and AveragePool: everything the host compiler does with them, one part per pass, in pass order. Their
// float nodes are MaxPoolNode and AveragePoolNode (Graph/Nodes/Pools.cs), their device record Pool2DRecord
// (Blob/Records/Pool2DRecord.cs); an average pool that counts its padding runs as a depthwise convolution (Conv.cs).

namespace QuantEdge.Compiler.Onnx
{
    internal sealed partial class OnnxGraphImporter
    {
        [ForOp("MaxPool")]
        private void ConvertMaxPool(OnnxNodeContext c) => ConvertPool(c, isMax: true);

        [ForOp("AveragePool")]
        private void ConvertAveragePool(OnnxNodeContext c) => ConvertPool(c, isMax: false);

        private void ConvertPool(OnnxNodeContext c, bool isMax)
        {
            c.RequireInputs(1, 1);
            string input = Activation(c, 0);
            int[] inputShape = shapes[input];
            int[] kernel = OnnxSemantics.PoolKernel(c, inputShape);
            bool countIncludePad = !isMax && c.Int("count_include_pad", 0) != 0;
            if (isMax)
            {
                c.Ignore("storage_order");
                RejectUsedExtraOutputs(c, "argmax indices");
            }

            OnnxWindow window = OnnxSemantics.ReadWindow(c, inputShape, kernel, allowDilations: false);
            if (c.Int("ceil_mode", 0) != 0)
            {
                window = OnnxSemantics.CeilModePads(c, window, inputShape, kernel, countIncludePad);
            }

            Size2D kernel2D = inputShape.Length == 3 ? new Size2D(1, kernel[0]) : new Size2D(kernel[0], kernel[1]);
            Pool2DNode pool = isMax
                ? new MaxPoolNode { Name = c.IrName, Input = input, Output = c.OutputName(0), Kernel = kernel2D, Strides = window.Strides, Pads = window.Pads }
                : new AveragePoolNode { Name = c.IrName, Input = input, Output = c.OutputName(0), Kernel = kernel2D, Strides = window.Strides, Pads = window.Pads, CountIncludePad = countIncludePad };
            Emit(pool, c);
        }
    }
}

namespace QuantEdge.Compiler.PreQuantized
{
    internal sealed partial class PreQuantizedGraph
    {
        [ForOp("MaxPool")]
        private Value MaxPool(OnnxNodeContext c)
        {
            c.RequireInputs(1, 1);
            if (c.Node.Output.Skip(1).Any(o => o.Length > 0))
            {
                throw c.Error("the argmax indices output is not supported.");
            }

            c.Ignore("storage_order");
            return SameQuantizationOp(c, x =>
            {
                int[] kernel = OnnxSemantics.PoolKernel(c, x.Shape);
                OnnxWindow window = OnnxSemantics.ReadWindow(c, x.Shape, kernel, allowDilations: false);
                if (c.Int("ceil_mode", 0) != 0)
                {
                    window = OnnxSemantics.CeilModePads(c, window, x.Shape, kernel, countIncludePad: false);
                }

                NchwShape s = NchwShape.Of(x.Shape);
                (int kh, int kw) = (x.Shape.Length == 3 ? 1 : kernel[0], kernel[^1]);
                int oh = Shapes.WindowOutputSize(s.Height, kh, window.Strides.Height, 1, window.Pads.Top, window.Pads.Bottom);
                int ow = Shapes.WindowOutputSize(s.Width, kw, window.Strides.Width, 1, window.Pads.Left, window.Pads.Right);
                var check = new Pool2DParams
                {
                    InputHeight = s.Height, InputWidth = s.Width, OutputHeight = oh, OutputWidth = ow, FilterHeight = kh, FilterWidth = kw,
                    StrideHeight = window.Strides.Height, StrideWidth = window.Strides.Width, PadTop = window.Pads.Top, PadLeft = window.Pads.Left,
                };
                if (!check.EveryWindowOverlapsInput())
                {
                    throw c.Error("some pooling windows lie entirely in the padding.");
                }

                int[] shape = (s with { Height = oh, Width = ow }).ToShape(x.Shape.Length);
                return (shape, DevicePlan.NaturalOrder(shape), (input, output) => new Pool2DRecord(input, output,
                    new DeviceWindow(kh, kw, window.Strides.Height, window.Strides.Width, PadTop: window.Pads.Top, PadLeft: window.Pads.Left), Average: false));
            });
        }
    }
}

namespace QuantEdge.Compiler.Quantization.Lowering
{
    internal sealed partial class DevicePlan
    {
        [ForOp(typeof(MaxPoolNode))]
        private void PlanMaxPool(MaxPoolNode pool) =>
            AddStep(new Step(StepKind.MaxPool, pool, [pool.Input], pool.Output));

        /// <summary>
        /// An average pool that counts padding (count_include_pad with pads) is not TFLite's pool; it is
        /// a depthwise convolution whose weights are all 1 / (kernel area), with zero padding.
        /// </summary>
        [ForOp(typeof(AveragePoolNode))]
        private void PlanAveragePool(AveragePoolNode pool)
        {
            bool padded = pool.Pads != Padding2D.None;
            if (!pool.CountIncludePad || !padded)
            {
                AddStep(new Step(StepKind.AveragePool, pool, [pool.Input], pool.Output));
                return;
            }

            int channels = NchwShape.Of(Graph.ShapeOf(pool.Input)).Channels;
            int taps = pool.Kernel.Height * pool.Kernel.Width;
            float[] weights = Enumerable.Repeat(1f / taps, taps * channels).ToArray();
            AddStep(new Step(StepKind.DepthwiseConv2D, pool, [pool.Input], pool.Output)
            {
                SyntheticDepthwise = (weights, new float[channels], pool.Kernel.Height, pool.Kernel.Width),
            });
        }
    }

    internal sealed partial class Lowerer
    {
        [ForOp(StepKind.MaxPool)]
        [ForOp(StepKind.AveragePool)]
        private Pool2DRecord LowerPool(StepTensors s) => Pool((Pool2DNode)s.Step.Node, s.InValue, s.OutValue, s.Input, s.Output);

        private Pool2DRecord Pool(Pool2DNode pool, DeviceValue input, DeviceValue output, int inputIndex, int outputIndex)
        {
            var window = new DeviceWindow(pool.Kernel.Height, pool.Kernel.Width, pool.Strides.Height, pool.Strides.Width, PadTop: pool.Pads.Top, PadLeft: pool.Pads.Left);
            var check = new Pool2DParams
            {
                InputHeight = input.Dims[1], InputWidth = input.Dims[2], OutputHeight = output.Dims[1], OutputWidth = output.Dims[2],
                FilterHeight = window.FilterHeight, FilterWidth = window.FilterWidth, StrideHeight = window.StrideHeight,
                StrideWidth = window.StrideWidth, PadTop = window.PadTop, PadLeft = window.PadLeft,
            };
            if (!check.EveryWindowOverlapsInput())
            {
                throw new UnsupportedModelException($"{pool.OpName} '{pool.Name}': some pooling windows lie entirely in the padding");
            }

            return new Pool2DRecord(inputIndex, outputIndex, window, Average: pool is AveragePoolNode);
        }
    }
}

namespace QuantEdge.Compiler.Onnx
{
    internal sealed partial class QdqGraph
    {
        [ForOp(typeof(Pool2DRecord))]
        private void ExportPool(Pool2DRecord pool)
        {
            if (pool.Average)
            {
                AveragePool(pool);
            }
            else
            {
                MaxPool(pool);
            }
        }

        private void MaxPool(Pool2DRecord pool)
        {
            DeviceTensor x = model.Tensors[pool.Input], y = model.Tensors[pool.Output];
            string input = Rank4(Dequantize(values[pool.Input], x.Scale, x.ZeroPoint), x.Dims);
            long[] pads = Pads(x.Dims, y.Dims, pool.Window, out bool crop);
            string result = Node("MaxPool", [input], a => PoolAttributes(a, pool.Window, pads));
            Quantize(Clamp(FromRank4(Crop(result, y.Dims, crop), y.Dims), pool.ActivationMin, pool.ActivationMax, y), pool.Output);
        }

        /// <summary>On the int8 codes, rounding half away from zero as the device does (see <see cref="QdqExporter"/>).</summary>
        private void AveragePool(Pool2DRecord pool)
        {
            DeviceTensor x = model.Tensors[pool.Input], y = model.Tensors[pool.Output];
            int window = pool.Window.FilterHeight * pool.Window.FilterWidth;
            if (window > QdqExporter.MaxAveragePoolWindow)
            {
                throw new NotSupportedException($"{prefix}: an average pool over {window} values; exact rounding is exported up to {QdqExporter.MaxAveragePoolWindow}");
            }

            string codes = Rank4(Cast(values[pool.Input], OnnxFloat), x.Dims);
            long[] pads = Pads(x.Dims, y.Dims, pool.Window, out bool crop);
            string mean = Crop(Node("AveragePool", [codes], a => PoolAttributes(a, pool.Window, pads).Int("count_include_pad", 0)), y.Dims, crop);
            string awayFromZero = Node("Add", [mean, Node("Mul", [Node("Sign", [mean]), Scalar(1f / (4 * window))])]);
            string clamped = pool.ActivationMin == sbyte.MinValue && pool.ActivationMax == sbyte.MaxValue
                ? awayFromZero
                : Node("Clip", [awayFromZero, Scalar((float)pool.ActivationMin), Scalar((float)pool.ActivationMax)]);
            values[pool.Output] = FromRank4(Node("QuantizeLinear", [clamped, Scalar(1f), Scalar((sbyte)0)]), y.Dims);
        }
    }
}
