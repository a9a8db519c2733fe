using QuantEdge.Runtime.Interop;
using QuantEdge.Runtime.Kernels;
using QuantEdge.Runtime.Native;

namespace QuantEdge.NativeDeviceTests.Cases
{
    /// <summary>FullyConnected in either weight layout: batches, odd depths and output counts (every remainder of the blocks of 8, 4 and 2), asymmetric weights.</summary>
    internal sealed class FullyConnectedCase : KernelCase
    {
        private readonly FullyConnectedParams p = new FullyConnectedParams();
        private readonly int input, output;
        private readonly int[] args;
        private readonly sbyte[] rows;

        public FullyConnectedCase(CaseRandom r, int index)
        {
            p.Batches = r.Range(1, 3);
            p.InputDepth = r.OneIn(8) ? r.Range(1, 300) : r.Range(1, 40);
            p.OutputDepth = r.Range(1, 19);
            WeightLayout layout = r.OneIn(2) ? WeightLayout.Int64Pairs : WeightLayout.Int8Rows;
            rows = r.Int8s(p.OutputDepth * p.InputDepth);
            p.Weights = ChannelWeights.FromInt8(rows, p.OutputDepth, p.InputDepth, layout);
            p.WeightZeroPoint = r.OneIn(4) ? r.ZeroPoint() : 0;
            p.Bias = r.Biases(p.OutputDepth);
            p.OutputMultiplier = r.Multipliers(p.OutputDepth);
            p.OutputShift = r.Shifts(p.OutputDepth);
            p.OutputZeroPoint = r.ZeroPoint();
            r.Clamp(out p.ActivationMin, out p.ActivationMax);
            int inputLength = p.Batches * p.InputDepth, outputLength = p.Batches * p.OutputDepth;
            input = r.Gap();
            output = input + inputLength + r.Gap();
            Arena = r.Arena(output + outputLength + r.Gap());
            System.Array.Copy(r.Int8s(inputLength), 0, Arena, input, inputLength);
            args = NativeKernels.FullyConnectedArgs(p, input, output);
            Work = p.Batches * p.InputDepth * p.OutputDepth;
            AccumulatorCount = outputLength;
            Name = "FullyConnected #" + index.ToString() + " " + (layout == WeightLayout.Int64Pairs ? "Int64Pairs " : "Int8Rows ") +
                p.Batches.ToString() + "x" + p.InputDepth.ToString() + "->" + p.OutputDepth.ToString() + " wzp " + p.WeightZeroPoint.ToString();
        }

        public override void RunManaged(sbyte[] arena)
        {
            FullyConnected.Eval(p, arena, input, output);
        }

        public override void RunNative(sbyte[] arena)
        {
            NativeMethods.FullyConnected(arena, args, rows, p.Bias, p.OutputMultiplier, p.OutputShift);
        }

        public override void AccumulateManaged(sbyte[] arena, int[] accumulators)
        {
            FullyConnected.Accumulate(p, arena, input, accumulators);
        }

        public override void AccumulateNative(sbyte[] arena, int[] accumulators)
        {
            NativeMethods.FullyConnectedAccumulate(arena, args, rows, p.Bias, accumulators);
        }
    }

    /// <summary>
    /// The window of a random convolution: channels 1–10, filters 1–4, strides and dilations 1–3, leading and
    /// trailing pads up to the dilated filter's extent (so whole windows fall in the padding), 1–2 images.
    /// </summary>
    internal static class Window
    {
        public static void Random(CaseRandom r, ConvolutionParams p, int inputDepth, int outputDepth)
        {
            p.Batches = r.Range(1, 2);
            p.InputDepth = inputDepth;
            p.OutputDepth = outputDepth;
            p.FilterHeight = r.Range(1, 4);
            p.FilterWidth = r.Range(1, 4);
            p.StrideHeight = r.Range(1, 3);
            p.StrideWidth = r.Range(1, 3);
            p.DilationHeight = r.OneIn(3) ? r.Range(2, 3) : 1;
            p.DilationWidth = r.OneIn(3) ? r.Range(2, 3) : 1;
            p.InputHeight = r.Range(1, 9);
            p.InputWidth = r.Range(1, 9);
            int extentHeight = p.DilationHeight * (p.FilterHeight - 1) + 1, extentWidth = p.DilationWidth * (p.FilterWidth - 1) + 1;
            p.PadTop = r.Range(0, extentHeight - 1);
            p.PadLeft = r.Range(0, extentWidth - 1);
            int padBottom = r.Range(0, extentHeight - 1), padRight = r.Range(0, extentWidth - 1);
            if (p.InputHeight + p.PadTop + padBottom < extentHeight) padBottom = extentHeight - p.InputHeight - p.PadTop;
            if (p.InputWidth + p.PadLeft + padRight < extentWidth) padRight = extentWidth - p.InputWidth - p.PadLeft;
            p.OutputHeight = (p.InputHeight + p.PadTop + padBottom - extentHeight) / p.StrideHeight + 1;
            p.OutputWidth = (p.InputWidth + p.PadLeft + padRight - extentWidth) / p.StrideWidth + 1;
            Quantization(r, p, outputDepth);
        }

        /// <summary>
        /// A whole image instead: 1–2 images of 10–30 × 10–30 pixels, filters 1–5 (dilated by 2 one time in four), strides
        /// 1–2, padded as far as the filter reaches ("same"): rows of many pixels, as a network's first layers have.
        /// </summary>
        public static void Image(CaseRandom r, ConvolutionParams p, int inputDepth, int outputDepth)
        {
            p.Batches = r.Range(1, 2);
            p.InputDepth = inputDepth;
            p.OutputDepth = outputDepth;
            p.InputHeight = r.Range(10, 30);
            p.InputWidth = r.Range(10, 30);
            p.FilterHeight = r.Range(1, 5);
            p.FilterWidth = r.Range(1, 5);
            p.StrideHeight = r.Range(1, 2);
            p.StrideWidth = r.Range(1, 2);
            p.DilationHeight = r.OneIn(4) ? 2 : 1;
            p.DilationWidth = r.OneIn(4) ? 2 : 1;
            p.PadTop = p.DilationHeight * (p.FilterHeight - 1) / 2;
            p.PadLeft = p.DilationWidth * (p.FilterWidth - 1) / 2;
            p.OutputHeight = (p.InputHeight - 1) / p.StrideHeight + 1;
            p.OutputWidth = (p.InputWidth - 1) / p.StrideWidth + 1;
            Quantization(r, p, outputDepth);
        }

        private static void Quantization(CaseRandom r, ConvolutionParams p, int outputDepth)
        {
            p.InputZeroPoint = r.ZeroPoint();
            p.Bias = r.Biases(outputDepth);
            p.OutputMultiplier = r.Multipliers(outputDepth);
            p.OutputShift = r.Shifts(outputDepth);
            p.OutputZeroPoint = r.ZeroPoint();
            r.Clamp(out p.ActivationMin, out p.ActivationMax);
        }

        public static string Describe(ConvolutionParams p)
        {
            return p.Batches.ToString() + "x" + p.InputHeight.ToString() + "x" + p.InputWidth.ToString() + "x" + p.InputDepth.ToString() +
                " filter " + p.FilterHeight.ToString() + "x" + p.FilterWidth.ToString() + " stride " + p.StrideHeight.ToString() + "," + p.StrideWidth.ToString() +
                " dilation " + p.DilationHeight.ToString() + "," + p.DilationWidth.ToString() + " pad " + p.PadTop.ToString() + "," + p.PadLeft.ToString() +
                " -> " + p.OutputHeight.ToString() + "x" + p.OutputWidth.ToString() + "x" + p.OutputDepth.ToString();
        }

        /// <summary>Lays out input and output with random gaps; returns the arena, the offsets through the out parameters.</summary>
        public static sbyte[] Arena(CaseRandom r, ConvolutionParams p, out int input, out int output)
        {
            int inputLength = p.Batches * p.InputHeight * p.InputWidth * p.InputDepth;
            int outputLength = p.Batches * p.OutputHeight * p.OutputWidth * p.OutputDepth;
            input = r.Gap();
            output = input + inputLength + r.Gap();
            sbyte[] arena = r.Arena(output + outputLength + r.Gap());
            System.Array.Copy(r.Int8s(inputLength), 0, arena, input, inputLength);
            return arena;
        }
    }

    /// <summary>Conv2D in either weight layout, any window (<see cref="Window"/>), asymmetric weights now and then.</summary>
    internal sealed class Conv2DCase : KernelCase
    {
        /// <summary>The output depths of <see cref="Window.Image"/> cases: whole blocks of 8 and 16 channels, and not.</summary>
        private static readonly int[] ImageOutputDepths = new int[] { 8, 16, 32, 48, 24, 10, 3 };

        private readonly Conv2DParams p = new Conv2DParams();
        private readonly int input, output;
        private readonly int[] args;
        private readonly sbyte[] rows;

        public Conv2DCase(CaseRandom r, int index)
            : this(r, index, false)
        {
        }

        /// <param name="image">A whole image of 1–3 channels (<see cref="Window.Image"/>) instead of a small random window.</param>
        public Conv2DCase(CaseRandom r, int index, bool image)
        {
            if (image)
            {
                Window.Image(r, p, r.Range(1, 3), ImageOutputDepths[r.Range(0, ImageOutputDepths.Length - 1)]);
            }
            else
            {
                Window.Random(r, p, r.Range(1, 10), r.Range(1, 19));
            }

            int depth = p.FilterHeight * p.FilterWidth * p.InputDepth;
            WeightLayout layout = r.OneIn(2) ? WeightLayout.Int64Pairs : WeightLayout.Int8Rows;
            rows = r.Int8s(p.OutputDepth * depth);
            p.Weights = ChannelWeights.FromInt8(rows, p.OutputDepth, depth, layout);
            p.WeightZeroPoint = r.OneIn(4) ? r.ZeroPoint() : 0;
            Arena = Window.Arena(r, p, out input, out output);
            args = NativeKernels.Conv2DArgs(p, input, output);
            AccumulatorCount = p.Batches * p.OutputHeight * p.OutputWidth * p.OutputDepth;
            Work = AccumulatorCount * depth;
            Name = (image ? "image " : "") + "Conv2D #" + index.ToString() + " " + (layout == WeightLayout.Int64Pairs ? "Int64Pairs " : "Int8Rows ") + Window.Describe(p) +
                " wzp " + p.WeightZeroPoint.ToString();
        }

        public override void RunManaged(sbyte[] arena)
        {
            Conv2D.Eval(p, arena, input, output);
        }

        public override void RunNative(sbyte[] arena)
        {
            NativeMethods.Conv2D(arena, args, rows, p.Bias, p.OutputMultiplier, p.OutputShift);
        }

        public override void AccumulateManaged(sbyte[] arena, int[] accumulators)
        {
            Conv2D.Accumulate(p, arena, input, accumulators);
        }

        public override void AccumulateNative(sbyte[] arena, int[] accumulators)
        {
            NativeMethods.Conv2DAccumulate(arena, args, rows, p.Bias, accumulators);
        }
    }

    /// <summary>DepthwiseConv2D, any window, depth multipliers 1–3 (and now and then more channels than one block of the C's).</summary>
    internal sealed class DepthwiseConv2DCase : KernelCase
    {
        private readonly DepthwiseConv2DParams p = new DepthwiseConv2DParams();
        private readonly int input, output;
        private readonly int[] args;

        public DepthwiseConv2DCase(CaseRandom r, int index)
        {
            int channels = r.OneIn(8) ? r.Range(11, 40) : r.Range(1, 10);
            int multiplier = r.Range(1, 3);
            Window.Random(r, p, channels, channels * multiplier);
            p.DepthMultiplier = multiplier;
            p.Weights = r.Int8s(p.FilterHeight * p.FilterWidth * p.OutputDepth);
            DepthwiseConv2D.AllocateScratch(p);
            Arena = Window.Arena(r, p, out input, out output);
            args = NativeKernels.DepthwiseConv2DArgs(p, input, output);
            Work = p.Batches * p.OutputHeight * p.OutputWidth * p.OutputDepth * p.FilterHeight * p.FilterWidth;
            Name = "DepthwiseConv2D #" + index.ToString() + " " + Window.Describe(p) + " multiplier " + multiplier.ToString();
        }

        public override void RunManaged(sbyte[] arena)
        {
            DepthwiseConv2D.Eval(p, arena, input, output);
        }

        public override void RunNative(sbyte[] arena)
        {
            NativeMethods.DepthwiseConv2D(arena, args, p.Weights, p.Bias, p.OutputMultiplier, p.OutputShift);
        }
    }
}
