using QuantEdge.Runtime.Interop;
using QuantEdge.Runtime.Kernels;
using QuantEdge.Runtime.Native;

namespace QuantEdge.NativeDeviceTests.Cases
{
    /// <summary>MaxPool2D or AveragePool2D: windows 1–4, strides 1–3, pads below the window, every window keeping an input (as the loader requires).</summary>
    internal sealed class Pool2DCase : KernelCase
    {
        private readonly Pool2DParams p = new Pool2DParams();
        private readonly bool average;
        private readonly int input, output;
        private readonly int[] args;

        public Pool2DCase(CaseRandom r, int index, bool average)
        {
            this.average = average;
            do
            {
                p.Batches = r.Range(1, 2);
                p.InputHeight = r.Range(1, 10);
                p.InputWidth = r.Range(1, 10);
                p.Channels = r.OneIn(8) ? r.Range(9, 40) : r.Range(1, 8);
                p.FilterHeight = r.Range(1, 4);
                p.FilterWidth = r.Range(1, 4);
                p.StrideHeight = r.Range(1, 3);
                p.StrideWidth = r.Range(1, 3);
                p.PadTop = r.Range(0, p.FilterHeight - 1);
                p.PadLeft = r.Range(0, p.FilterWidth - 1);
                int padBottom = r.Range(0, p.FilterHeight - 1), padRight = r.Range(0, p.FilterWidth - 1);
                p.OutputHeight = (p.InputHeight + p.PadTop + padBottom - p.FilterHeight) / p.StrideHeight + 1;
                p.OutputWidth = (p.InputWidth + p.PadLeft + padRight - p.FilterWidth) / p.StrideWidth + 1;
            }
            while (p.OutputHeight < 1 || p.OutputWidth < 1 || !p.EveryWindowOverlapsInput());

            r.Clamp(out p.ActivationMin, out p.ActivationMax);
            int inputLength = p.Batches * p.InputHeight * p.InputWidth * p.Channels;
            int outputLength = p.Batches * p.OutputHeight * p.OutputWidth * p.Channels;
            input = r.Gap();
            output = input + inputLength + r.Gap();
            Arena = r.Arena(output + outputLength + r.Gap());
            System.Array.Copy(r.Int8s(inputLength), 0, Arena, input, inputLength);
            args = NativeKernels.Pool2DArgs(p, input, output);
            Work = outputLength * p.FilterHeight * p.FilterWidth;
            Name = (average ? "AveragePool2D #" : "MaxPool2D #") + index.ToString() + " " + p.Batches.ToString() + "x" + p.InputHeight.ToString() + "x" +
                p.InputWidth.ToString() + "x" + p.Channels.ToString() + " window " + p.FilterHeight.ToString() + "x" + p.FilterWidth.ToString() +
                " stride " + p.StrideHeight.ToString() + "," + p.StrideWidth.ToString() + " pad " + p.PadTop.ToString() + "," + p.PadLeft.ToString();
        }

        public override void RunManaged(sbyte[] arena)
        {
            if (average)
            {
                AveragePool2D.Eval(p, arena, input, output);
            }
            else
            {
                MaxPool2D.Eval(p, arena, input, output);
            }
        }

        public override void RunNative(sbyte[] arena)
        {
            if (average)
            {
                NativeMethods.AveragePool2D(arena, args);
            }
            else
            {
                NativeMethods.MaxPool2D(arena, args);
            }
        }
    }

    /// <summary>GlobalAveragePool of 1–2 images up to 12×12 with 1–20 channels, any zero points and requantization.</summary>
    internal sealed class GlobalAveragePoolCase : KernelCase
    {
        private readonly GlobalAveragePoolParams p = new GlobalAveragePoolParams();
        private readonly int input, output;
        private readonly int[] args;

        public GlobalAveragePoolCase(CaseRandom r, int index)
        {
            p.Batches = r.Range(1, 2);
            p.Height = r.Range(1, 12);
            p.Width = r.Range(1, 12);
            p.Channels = r.Range(1, 20);
            p.InputZeroPoint = r.ZeroPoint();
            p.OutputZeroPoint = r.ZeroPoint();
            p.Multiplier = r.Multiplier();
            p.Shift = r.Shift();
            r.Clamp(out p.ActivationMin, out p.ActivationMax);
            int inputLength = p.Batches * p.Height * p.Width * p.Channels, outputLength = p.Batches * p.Channels;
            input = r.Gap();
            output = input + inputLength + r.Gap();
            Arena = r.Arena(output + outputLength + r.Gap());
            System.Array.Copy(r.Int8s(inputLength), 0, Arena, input, inputLength);
            args = NativeKernels.GlobalAveragePoolArgs(p, input, output);
            Work = inputLength;
            Name = "GlobalAveragePool #" + index.ToString() + " " + p.Batches.ToString() + "x" + p.Height.ToString() + "x" + p.Width.ToString() + "x" +
                p.Channels.ToString() + " M " + p.Multiplier.ToString() + " S " + p.Shift.ToString();
        }

        public override void RunManaged(sbyte[] arena)
        {
            GlobalAveragePool.Eval(p, arena, input, output);
        }

        public override void RunNative(sbyte[] arena)
        {
            NativeMethods.GlobalAveragePool(arena, args);
        }
    }
}
