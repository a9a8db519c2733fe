using QuantEdge.DeviceTests.Support;
using QuantEdge.Runtime;
using QuantEdge.Runtime.Interop;
using QuantEdge.Runtime.Kernels;
using QuantEdge.Runtime.Native;

namespace QuantEdge.DeviceBench
{
    /// <summary>Every kernel workload, in the report's order.</summary>
    internal static class KernelWorkloads
    {
        /// <summary>
        /// On the managed kernels (<paramref name="native"/> false) or the native ones. A managed layer with weights runs in
        /// both layouts; a native one once, as the native kernels take int8 rows whatever the layout.
        /// </summary>
        public static Workload[] All(bool native)
        {
            Workload[] weighted = native
                ? new Workload[]
                {
                    new FullyConnectedWorkload(256, 64, WeightLayout.Int8Rows, true),
                    new FullyConnectedWorkload(16, 8, WeightLayout.Int8Rows, true),
                    new Conv2DWorkload(WeightLayout.Int8Rows, true),
                }
                : new Workload[]
                {
                    new FullyConnectedWorkload(256, 64, WeightLayout.Int8Rows, false),
                    new FullyConnectedWorkload(256, 64, WeightLayout.Int64Pairs, false),
                    new FullyConnectedWorkload(256, 64, null),
                    new FullyConnectedWorkload(16, 8, WeightLayout.Int8Rows, false),
                    new FullyConnectedWorkload(16, 8, WeightLayout.Int64Pairs, false),
                    new Conv2DWorkload(WeightLayout.Int8Rows, false),
                    new Conv2DWorkload(WeightLayout.Int64Pairs, false),
                };
            return Workload.Join(weighted, new Workload[]
            {
                new DepthwiseWorkload(native),
                new PoolWorkload(false, native),
                new PoolWorkload(true, native),
                new GlobalAveragePoolWorkload(native),
                new ElementwiseWorkload(true, native),
                new ElementwiseWorkload(false, native),
                new SoftmaxWorkload(native),
                new LookupWorkload(native),
                new ConcatWorkload(native),
            });
        }
    }

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

    /// <summary>
    /// FullyConnected depth → outputs: 256 → 64 as in bench/QuantEdge.Bench's KernelBenchmarks, 16 → 8 to show
    /// what one call costs a small layer. With <c>native</c>, the native kernel on the same layer (its weights as
    /// int8 rows, whatever the layout), called as a loaded model calls it.
    /// </summary>
    internal sealed class FullyConnectedWorkload : Workload
    {
        private readonly FullyConnectedParams p = new FullyConnectedParams();
        private readonly sbyte[] arena;
        private readonly int depth;
        private readonly int[] args;
        private readonly sbyte[] rows;

        public FullyConnectedWorkload(int depth, int outputs, WeightLayout layout, bool native)
            : this(depth, outputs, Data.Path(layout, native))
        {
            p.Weights = ChannelWeights.FromInt8(Data.Int8s(depth * outputs, 4), outputs, depth, layout);
            if (native)
            {
                args = NativeKernels.FullyConnectedArgs(p, 0, depth);
                rows = NativeKernels.Rows(p.Weights);
            }
        }

        /// <summary>
        /// The layer with <see cref="WeightLayout.Streamed"/> weights, read during each run eight rows at a time: from an array
        /// (<paramref name="source"/> null: the same weights as the layouts in RAM; each row one native Array.Copy) or from a
        /// resource (each row one ResourceUtility.GetObject, which allocates the row).
        /// </summary>
        public FullyConnectedWorkload(int depth, int outputs, BlobSource source)
            : this(depth, outputs, source == null ? "Streamed" : "Streamed resource")
        {
            p.Weights = source == null
                ? ChannelWeights.FromInt8(Data.Int8s(depth * outputs, 4), outputs, depth, WeightLayout.Streamed)
                : ChannelWeights.FromSource(source, 0, outputs, depth, new StreamBuffer());
        }

        private FullyConnectedWorkload(int depth, int outputs, string path)
            : base("FullyConnected " + depth.ToString() + "-" + outputs.ToString() + " " + path, "MAC", depth * outputs)
        {
            this.depth = depth;
            arena = Data.Int8s(depth + outputs, 3);
            p.Batches = 1;
            p.InputDepth = depth;
            p.OutputDepth = outputs;
            p.Bias = new int[outputs];
            p.OutputMultiplier = Data.Fill(outputs, 1 << 30);
            p.OutputShift = Data.Fill(outputs, -8);
            p.ActivationMin = -128;
            p.ActivationMax = 127;
        }

        public override void Run()
        {
            if (args != null)
            {
                NativeMethods.FullyConnected(arena, args, rows, p.Bias, p.OutputMultiplier, p.OutputShift);
            }
            else
            {
                FullyConnected.Eval(p, arena, 0, depth);
            }
        }
    }

    /// <summary>Conv2D 16×16×8, 3×3, pad 1 → 16 channels; MACs counted over the whole window, as the host benchmark does.</summary>
    internal sealed class Conv2DWorkload : Workload
    {
        private readonly Conv2DParams p = new Conv2DParams();
        private readonly sbyte[] arena = Data.Int8s(16 * 16 * 8 + 16 * 16 * 16, 5);
        private readonly int[] args;
        private readonly sbyte[] rows;

        public Conv2DWorkload(WeightLayout layout, bool native)
            : base("Conv2D 16x16x8 3x3 pad 1 -> 16 " + Data.Path(layout, native), "MAC", 16 * 16 * 16 * 9 * 8)
        {
            Data.SquareWindow(p, 16, 8, 16, 3, 1);
            p.Weights = ChannelWeights.FromInt8(Data.Int8s(16 * 9 * 8, 6), 16, 9 * 8, layout);
            if (native)
            {
                args = NativeKernels.Conv2DArgs(p, 0, 16 * 16 * 8);
                rows = NativeKernels.Rows(p.Weights);
            }
        }

        public override void Run()
        {
            if (args != null)
            {
                NativeMethods.Conv2D(arena, args, rows, p.Bias, p.OutputMultiplier, p.OutputShift);
            }
            else
            {
                Conv2D.Eval(p, arena, 0, 16 * 16 * 8);
            }
        }
    }

    /// <summary>DepthwiseConv2D 16×16×16, 3×3, pad 1, multiplier 1.</summary>
    internal sealed class DepthwiseWorkload : Workload
    {
        private readonly DepthwiseConv2DParams p = new DepthwiseConv2DParams();
        private readonly sbyte[] arena = Data.Int8s(2 * 16 * 16 * 16, 7);
        private readonly int[] args;

        public DepthwiseWorkload(bool native)
            : base("DepthwiseConv2D 16x16x16 3x3 pad 1" + Data.Suffix(native), "MAC", 16 * 16 * 16 * 9)
        {
            Data.SquareWindow(p, 16, 16, 16, 3, 1);
            p.DepthMultiplier = 1;
            p.Weights = Data.Int8s(9 * 16, 8);
            DepthwiseConv2D.AllocateScratch(p);
            args = native ? NativeKernels.DepthwiseConv2DArgs(p, 0, 16 * 16 * 16) : null;
        }

        public override void Run()
        {
            if (args != null)
            {
                NativeMethods.DepthwiseConv2D(arena, args, p.Weights, p.Bias, p.OutputMultiplier, p.OutputShift);
            }
            else
            {
                DepthwiseConv2D.Eval(p, arena, 0, 16 * 16 * 16);
            }
        }
    }

    /// <summary>MaxPool2D or AveragePool2D 16×16×16, 2×2 windows, stride 2: 4,096 taps.</summary>
    internal sealed class PoolWorkload : Workload
    {
        private readonly Pool2DParams p = new Pool2DParams();
        private readonly sbyte[] arena = Data.Int8s(16 * 16 * 16 + 8 * 8 * 16, 9);
        private readonly bool average;
        private readonly int[] args;

        public PoolWorkload(bool average, bool native)
            : base((average ? "AveragePool2D" : "MaxPool2D") + " 16x16x16 2x2 stride 2" + Data.Suffix(native), "tap", 8 * 8 * 16 * 4)
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
            args = native ? NativeKernels.Pool2DArgs(p, 0, 16 * 16 * 16) : null;
        }

        public override void Run()
        {
            if (args != null)
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
            else if (average)
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
        private readonly int[] args;

        public GlobalAveragePoolWorkload(bool native)
            : base("GlobalAveragePool 16x16x16" + Data.Suffix(native), "tap", 16 * 16 * 16)
        {
            p.Batches = 1;
            p.Height = p.Width = p.Channels = 16;
            p.Multiplier = 1 << 30;
            p.Shift = -8;
            p.ActivationMin = -128;
            p.ActivationMax = 127;
            args = native ? NativeKernels.GlobalAveragePoolArgs(p, 0, 16 * 16 * 16) : null;
        }

        public override void Run()
        {
            if (args != null)
            {
                NativeMethods.GlobalAveragePool(arena, args);
            }
            else
            {
                GlobalAveragePool.Eval(p, arena, 0, 16 * 16 * 16);
            }
        }
    }

    /// <summary>Add or Mul of two 4,096-element tensors, with CMSIS-NN's add and mul parameters.</summary>
    internal sealed class ElementwiseWorkload : Workload
    {
        private const int Size = 4096;
        private readonly AddParams add;
        private readonly MulParams mul;
        private readonly sbyte[] arena = Data.Int8s(3 * Size, 11);
        private readonly int[] args;

        public ElementwiseWorkload(bool isAdd, bool native)
            : base((isAdd ? "Add" : "Mul") + " 4096" + Data.Suffix(native), "element", Size)
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
            args = !native ? null : isAdd ? NativeKernels.AddArgs(add, 0, Size, 2 * Size) : NativeKernels.MulArgs(mul, 0, Size, 2 * Size);
        }

        public override void Run()
        {
            if (args != null)
            {
                if (add != null)
                {
                    NativeMethods.Add(arena, args);
                }
                else
                {
                    NativeMethods.Mul(arena, args);
                }
            }
            else if (add != null)
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
        private readonly int[] expTable;
        private readonly int[] args;

        public SoftmaxWorkload(bool native)
            : base("Softmax 256 rows of 16" + Data.Suffix(native), "element", 4096)
        {
            p.Rows = 256;
            p.RowSize = 16;
            p.InputMultiplier = 1077952640;
            p.InputLeftShift = 19;
            p.DiffMin = -3968;
            args = native ? NativeKernels.SoftmaxArgs(p, 0, 4096) : null;
            expTable = Softmax.ExpTable(p);
        }

        public override void Run()
        {
            if (args != null)
            {
                NativeMethods.Softmax(arena, args);
            }
            else
            {
                Softmax.Eval(p, expTable, arena, 0, 4096);
            }
        }
    }

    /// <summary>A 256-entry lookup table (sigmoid, tanh) over 4,096 elements.</summary>
    internal sealed class LookupWorkload : Workload
    {
        private readonly LookupParams p = new LookupParams();
        private readonly sbyte[] arena = Data.Int8s(2 * 4096, 13);
        private readonly int[] args;

        public LookupWorkload(bool native)
            : base("Lookup 4096" + Data.Suffix(native), "element", 4096)
        {
            p.Size = 4096;
            p.Table = Data.Int8s(256, 14);
            args = native ? NativeKernels.LookupArgs(p, 0, 4096) : null;
        }

        public override void Run()
        {
            if (args != null)
            {
                NativeMethods.Lookup(arena, args, p.Table);
            }
            else
            {
                Lookup.Eval(p, arena, 0, 4096);
            }
        }
    }

    /// <summary>Concat of two 16×16×8 tensors along the channels into 16×16×16: 4,096 elements copied, in 512 chunks of 8.</summary>
    internal sealed class ConcatWorkload : Workload
    {
        private const int Pixels = 16 * 16, Channels = 8;
        private readonly ConcatParams p = new ConcatParams();
        private readonly int[] inputOffsets = { 0, Pixels * Channels };
        private readonly sbyte[] arena = Data.Int8s(4 * Pixels * Channels, 15);
        private readonly int[] args;

        public ConcatWorkload(bool native)
            : base("Concat 2 x 16x16x8 on channels" + Data.Suffix(native), "element", 2 * Pixels * Channels)
        {
            p.OuterCount = Pixels;
            p.InputChunk = new int[] { Channels, Channels };
            args = native ? NativeKernels.ConcatArgs(p, inputOffsets, 2 * Pixels * Channels) : null;
        }

        public override void Run()
        {
            if (args != null)
            {
                NativeMethods.Concat(arena, args);
            }
            else
            {
                Concat.Eval(p, arena, inputOffsets, 2 * Pixels * Channels);
            }
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

        /// <summary>The kernel a workload runs: the managed one in a layout, or the native one (the same for both layouts).</summary>
        public static string Path(WeightLayout layout, bool native)
        {
            return native ? "native" : layout == WeightLayout.Int64Pairs ? "Int64Pairs" : "Int8Rows";
        }

        /// <summary>" native" for a workload on the native kernel, else nothing.</summary>
        public static string Suffix(bool native)
        {
            return native ? " native" : "";
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
