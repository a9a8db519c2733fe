using QuantEdge.DeviceTests.Support;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.DeviceBench
{
    /// <summary>
    /// The reference every kernel is set against: the plain int8 multiply-accumulate loop an
    /// application would write (acc += x[i] * w[b + i] over sbyte arrays), 256 inputs × 64 outputs.
    /// </summary>
    internal sealed class NaiveLoop : Workload
    {
        private const int Depth = 256, Outputs = 64;
        private readonly sbyte[] x = Data.Int8s(Depth, 1);
        private readonly sbyte[] w = Data.Int8s(Depth * Outputs, 2);

        public NaiveLoop()
            : base("naive int8 loop 256x64", "MAC", Depth * Outputs)
        {
        }

        public static int Sink;

        public override void Run()
        {
            sbyte[] x = this.x, w = this.w;
            int total = 0;
            for (int o = 0, b = 0; o < Outputs; o++, b += Depth)
            {
                int acc = 0;
                for (int i = 0; i < Depth; i++)
                {
                    acc += x[i] * w[b + i];
                }

                total += acc;
            }

            Sink = total;
        }
    }

    /// <summary>FullyConnected 256 → 64, as in bench/QuantEdge.Bench's KernelBenchmarks.</summary>
    internal sealed class FullyConnectedWorkload : Workload
    {
        private readonly FullyConnectedParams p = new FullyConnectedParams();
        private readonly sbyte[] arena = Data.Int8s(256 + 64, 3);

        public FullyConnectedWorkload(WeightLayout layout)
            : base("FullyConnected 256-64 " + Data.LayoutName(layout), "MAC", 256 * 64)
        {
            p.Batches = 1;
            p.InputDepth = 256;
            p.OutputDepth = 64;
            p.Weights = ChannelWeights.FromInt8(Data.Int8s(256 * 64, 4), 64, 256, layout);
            p.Bias = new int[64];
            p.OutputMultiplier = Data.Fill(64, 1 << 30);
            p.OutputShift = Data.Fill(64, -8);
            p.ActivationMin = -128;
            p.ActivationMax = 127;
        }

        public override void Run()
        {
            FullyConnected.Eval(p, arena, 0, 256);
        }
    }

    /// <summary>Conv2D 16×16×8, 3×3, pad 1 → 16 channels; MACs counted over the whole window, as the host benchmark does.</summary>
    internal sealed class Conv2DWorkload : Workload
    {
        private readonly Conv2DParams p = new Conv2DParams();
        private readonly sbyte[] arena = Data.Int8s(16 * 16 * 8 + 16 * 16 * 16, 5);

        public Conv2DWorkload(WeightLayout layout)
            : base("Conv2D 16x16x8 3x3 pad 1 -> 16 " + Data.LayoutName(layout), "MAC", 16 * 16 * 16 * 9 * 8)
        {
            Data.SquareWindow(p, 16, 8, 16, 3, 1);
            p.Weights = ChannelWeights.FromInt8(Data.Int8s(16 * 9 * 8, 6), 16, 9 * 8, layout);
        }

        public override void Run()
        {
            Conv2D.Eval(p, arena, 0, 16 * 16 * 8);
        }
    }

    /// <summary>DepthwiseConv2D 16×16×16, 3×3, pad 1, multiplier 1.</summary>
    internal sealed class DepthwiseWorkload : Workload
    {
        private readonly DepthwiseConv2DParams p = new DepthwiseConv2DParams();
        private readonly sbyte[] arena = Data.Int8s(2 * 16 * 16 * 16, 7);

        public DepthwiseWorkload()
            : base("DepthwiseConv2D 16x16x16 3x3 pad 1", "MAC", 16 * 16 * 16 * 9)
        {
            Data.SquareWindow(p, 16, 16, 16, 3, 1);
            p.DepthMultiplier = 1;
            p.Weights = Data.Int8s(9 * 16, 8);
            p.Accumulators = new int[16];
        }

        public override void Run()
        {
            DepthwiseConv2D.Eval(p, arena, 0, 16 * 16 * 16);
        }
    }

    /// <summary>MaxPool2D or AveragePool2D 16×16×16, 2×2 windows, stride 2: 4,096 taps.</summary>
    internal sealed class PoolWorkload : Workload
    {
        private readonly Pool2DParams p = new Pool2DParams();
        private readonly sbyte[] arena = Data.Int8s(16 * 16 * 16 + 8 * 8 * 16, 9);
        private readonly bool average;

        public PoolWorkload(bool average)
            : base((average ? "AveragePool2D" : "MaxPool2D") + " 16x16x16 2x2 stride 2", "tap", 8 * 8 * 16 * 4)
        {
            this.average = average;
            p.Batches = 1;
            p.InputHeight = p.InputWidth = 16;
            p.Channels = 16;
            p.OutputHeight = p.OutputWidth = 8;
            p.FilterHeight = p.FilterWidth = 2;
            p.StrideHeight = p.StrideWidth = 2;
            p.ActivationMin = -128;
            p.ActivationMax = 127;
        }

        public override void Run()
        {
            if (average)
            {
                AveragePool2D.Eval(p, arena, 0, 16 * 16 * 16);
            }
            else
            {
                MaxPool2D.Eval(p, arena, 0, 16 * 16 * 16);
            }
        }
    }

    /// <summary>GlobalAveragePool 16×16×16 → 16: 4,096 taps.</summary>
    internal sealed class GlobalAveragePoolWorkload : Workload
    {
        private readonly GlobalAveragePoolParams p = new GlobalAveragePoolParams();
        private readonly sbyte[] arena = Data.Int8s(16 * 16 * 16 + 16, 10);

        public GlobalAveragePoolWorkload()
            : base("GlobalAveragePool 16x16x16", "tap", 16 * 16 * 16)
        {
            p.Batches = 1;
            p.Height = p.Width = p.Channels = 16;
            p.Multiplier = 1 << 30;
            p.Shift = -8;
            p.ActivationMin = -128;
            p.ActivationMax = 127;
        }

        public override void Run()
        {
            GlobalAveragePool.Eval(p, arena, 0, 16 * 16 * 16);
        }
    }

    /// <summary>Add or Mul of two 4,096-element tensors, with CMSIS-NN's add and mul parameters.</summary>
    internal sealed class ElementwiseWorkload : Workload
    {
        private const int Size = 4096;
        private readonly AddParams add;
        private readonly MulParams mul;
        private readonly sbyte[] arena = Data.Int8s(3 * Size, 11);

        public ElementwiseWorkload(bool isAdd)
            : base((isAdd ? "Add" : "Mul") + " 4096", "element", Size)
        {
            ElementwiseParams p;
            if (isAdd)
            {
                add = new AddParams();
                add.LeftShift = 20;
                add.Input1Multiplier = add.Input2Multiplier = 1 << 30;
                add.OutputMultiplier = 1 << 30;
                add.OutputShift = -19;
                p = add;
            }
            else
            {
                mul = new MulParams();
                mul.OutputMultiplier = 1077952640;
                mul.OutputShift = -7;
                p = mul;
            }

            p.Size = Size;
            p.Input1ZeroPoint = p.Input2ZeroPoint = -128;
            p.OutputZeroPoint = -128;
            p.ActivationMin = -128;
            p.ActivationMax = 127;
        }

        public override void Run()
        {
            if (add != null)
            {
                Add.Eval(add, arena, 0, Size, 2 * Size);
            }
            else
            {
                Mul.Eval(mul, arena, 0, Size, 2 * Size);
            }
        }
    }

    /// <summary>Softmax over 256 rows of 16, with CMSIS-NN's softmax parameters: 4,096 elements.</summary>
    internal sealed class SoftmaxWorkload : Workload
    {
        private readonly SoftmaxParams p = new SoftmaxParams();
        private readonly sbyte[] arena = Data.Int8s(2 * 4096, 12);

        public SoftmaxWorkload()
            : base("Softmax 256 rows of 16", "element", 4096)
        {
            p.Rows = 256;
            p.RowSize = 16;
            p.InputMultiplier = 1077952640;
            p.InputLeftShift = 19;
            p.DiffMin = -3968;
        }

        public override void Run()
        {
            Softmax.Eval(p, arena, 0, 4096);
        }
    }

    /// <summary>A 256-entry lookup table (sigmoid, tanh) over 4,096 elements.</summary>
    internal sealed class LookupWorkload : Workload
    {
        private readonly LookupParams p = new LookupParams();
        private readonly sbyte[] arena = Data.Int8s(2 * 4096, 13);

        public LookupWorkload()
            : base("Lookup 4096", "element", 4096)
        {
            p.Size = 4096;
            p.Table = Data.Int8s(256, 14);
        }

        public override void Run()
        {
            Lookup.Eval(p, arena, 0, 4096);
        }
    }

    /// <summary>Deterministic data and shared parameter set-up for the workloads.</summary>
    internal static class Data
    {
        public static sbyte[] Int8s(int count, uint seed)
        {
            DevicePrng random = new DevicePrng(seed * 2654435761u);
            sbyte[] values = new sbyte[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = (sbyte)(random.Next(255) - 127);
            }

            return values;
        }

        public static int[] Fill(int count, int value)
        {
            int[] values = new int[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = value;
            }

            return values;
        }

        public static string LayoutName(WeightLayout layout)
        {
            return layout == WeightLayout.Int64Pairs ? "Int64Pairs" : "Int8Rows";
        }

        /// <summary>A size × size × inputs image, a filter × filter window with stride 1 and the given padding, outputs channels out.</summary>
        public static void SquareWindow(ConvolutionParams p, int size, int inputs, int outputs, int filter, int pad)
        {
            p.Batches = 1;
            p.InputHeight = p.InputWidth = size;
            p.InputDepth = inputs;
            p.OutputHeight = p.OutputWidth = size + 2 * pad - filter + 1;
            p.OutputDepth = outputs;
            p.FilterHeight = p.FilterWidth = filter;
            p.StrideHeight = p.StrideWidth = 1;
            p.DilationHeight = p.DilationWidth = 1;
            p.PadTop = p.PadLeft = pad;
            p.Bias = new int[outputs];
            p.OutputMultiplier = Fill(outputs, 1 << 30);
            p.OutputShift = Fill(outputs, -8);
            p.ActivationMin = -128;
            p.ActivationMax = 127;
        }
    }
}
