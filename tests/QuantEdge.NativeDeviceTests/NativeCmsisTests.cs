using nanoFramework.TestFramework;
using QuantEdge.DeviceTests;
using QuantEdge.DeviceTests.Kernels;
using QuantEdge.DeviceTests.Support;
using QuantEdge.Runtime.Interop;
using QuantEdge.Runtime.Kernels;
using QuantEdge.Runtime.Native;

namespace QuantEdge.NativeDeviceTests
{
    /// <summary>
    /// The native kernels on all 64 CMSIS-NN sets (TFLite's reference outputs), bit for bit, each in a guarded
    /// arena that catches a write outside its output: the layers built by the managed vector tests' own
    /// adapter (CmsisLayers), run through NativeMethods with NativeKernels' arguments as a loaded model does.
    /// </summary>
    [TestClass]
    public class NativeCmsisTests
    {
        private static WeightLayout layout;

        [TestMethod]
        [DataRow(0)] // WeightLayout.Int8Rows
        [DataRow(1)] // WeightLayout.Int64Pairs: the same int8 rows reach the C (NativeKernels.Rows)
        public void FullyConnectedMatchesCmsisNn(int weightLayout)
        {
            layout = (WeightLayout)weightLayout;
            CmsisSets.CheckAll(Resources.BinaryResources.CmsisFullyConnected, 7, "native FullyConnected", FullyConnected);
        }

        [TestMethod]
        [DataRow(0)]
        [DataRow(1)]
        public void Conv2DMatchesCmsisNn(int weightLayout)
        {
            layout = (WeightLayout)weightLayout;
            CmsisSets.CheckAll(Resources.BinaryResources.CmsisConv2D, 26, "native Conv2D", Conv2D);
        }

        [TestMethod]
        public void DepthwiseConv2DMatchesCmsisNn()
        {
            CmsisSets.CheckAll(Resources.BinaryResources.CmsisDepthwiseConv2D, 14, "native DepthwiseConv2D", Depthwise);
        }

        [TestMethod]
        public void AveragePool2DMatchesCmsisNn()
        {
            CmsisSets.CheckAll(Resources.BinaryResources.CmsisAveragePool2D, 6, "native AveragePool2D", AveragePool);
        }

        [TestMethod]
        public void MaxPool2DMatchesCmsisNn()
        {
            CmsisSets.CheckAll(Resources.BinaryResources.CmsisMaxPool2D, 8, "native MaxPool2D", MaxPool);
        }

        [TestMethod]
        public void AddMulAndSoftmaxMatchCmsisNn()
        {
            CmsisSets.CheckAll(Resources.BinaryResources.CmsisAdd, 1, "native Add", Add);
            CmsisSets.CheckAll(Resources.BinaryResources.CmsisMul, 1, "native Mul", Mul);
            CmsisSets.CheckAll(Resources.BinaryResources.CmsisSoftmax, 1, "native Softmax", Softmax);
        }

        private static sbyte[] FullyConnected(DataRecord set)
        {
            FullyConnectedParams p = CmsisLayers.FullyConnected(set, layout);
            int length = p.Batches * p.OutputDepth;
            int input, output;
            GuardedArena arena = Arena(set.SBytes("input"), length, out input, out output);
            NativeMethods.FullyConnected(arena.Data, NativeKernels.FullyConnectedArgs(p, input, output), NativeKernels.Rows(p.Weights),
                p.Bias, p.OutputMultiplier, p.OutputShift);
            return arena.Output(output, length);
        }

        private static sbyte[] Conv2D(DataRecord set)
        {
            Conv2DParams p = CmsisLayers.Conv2D(set, layout);
            int length = p.Batches * p.OutputHeight * p.OutputWidth * p.OutputDepth;
            int input, output;
            GuardedArena arena = Arena(set.SBytes("input"), length, out input, out output);
            NativeMethods.Conv2D(arena.Data, NativeKernels.Conv2DArgs(p, input, output), NativeKernels.Rows(p.Weights),
                p.Bias, p.OutputMultiplier, p.OutputShift);
            return arena.Output(output, length);
        }

        private static sbyte[] Depthwise(DataRecord set)
        {
            DepthwiseConv2DParams p = CmsisLayers.DepthwiseConv2D(set);
            int length = p.Batches * p.OutputHeight * p.OutputWidth * p.OutputDepth;
            int input, output;
            GuardedArena arena = Arena(set.SBytes("input"), length, out input, out output);
            NativeMethods.DepthwiseConv2D(arena.Data, NativeKernels.DepthwiseConv2DArgs(p, input, output), p.Weights, p.Bias, p.OutputMultiplier, p.OutputShift);
            return arena.Output(output, length);
        }

        private static sbyte[] AveragePool(DataRecord set)
        {
            return Pool(set, true);
        }

        private static sbyte[] MaxPool(DataRecord set)
        {
            return Pool(set, false);
        }

        private static sbyte[] Pool(DataRecord set, bool average)
        {
            Pool2DParams p = CmsisLayers.Pool2D(set);
            int length = p.Batches * p.OutputHeight * p.OutputWidth * p.Channels;
            int input, output;
            GuardedArena arena = Arena(set.SBytes("input"), length, out input, out output);
            if (average)
            {
                NativeMethods.AveragePool2D(arena.Data, NativeKernels.Pool2DArgs(p, input, output));
            }
            else
            {
                NativeMethods.MaxPool2D(arena.Data, NativeKernels.Pool2DArgs(p, input, output));
            }

            return arena.Output(output, length);
        }

        private static sbyte[] Add(DataRecord set)
        {
            AddParams p = CmsisLayers.Add(set);
            int first, second, output;
            GuardedArena arena = Arena(set, p.Size, out first, out second, out output);
            NativeMethods.Add(arena.Data, NativeKernels.AddArgs(p, first, second, output));
            return arena.Output(output, p.Size);
        }

        private static sbyte[] Mul(DataRecord set)
        {
            MulParams p = CmsisLayers.Mul(set);
            int first, second, output;
            GuardedArena arena = Arena(set, p.Size, out first, out second, out output);
            NativeMethods.Mul(arena.Data, NativeKernels.MulArgs(p, first, second, output));
            return arena.Output(output, p.Size);
        }

        private static sbyte[] Softmax(DataRecord set)
        {
            SoftmaxParams p = CmsisLayers.Softmax(set);
            sbyte[] values = set.SBytes("input");
            int input, output;
            GuardedArena arena = Arena(values, values.Length, out input, out output);
            NativeMethods.Softmax(arena.Data, NativeKernels.SoftmaxArgs(p, input, output));
            return arena.Output(output, values.Length);
        }

        /// <summary>An input and an output of <paramref name="length"/> in a sealed guarded arena.</summary>
        private static GuardedArena Arena(sbyte[] values, int length, out int input, out int output)
        {
            GuardedArena arena = new GuardedArena(values.Length + length);
            input = arena.Place(values);
            output = arena.Reserve(length);
            arena.Seal();
            return arena;
        }

        /// <summary>Two inputs and an output in a sealed guarded arena.</summary>
        private static GuardedArena Arena(DataRecord set, int size, out int first, out int second, out int output)
        {
            GuardedArena arena = new GuardedArena(3 * size);
            first = arena.Place(set.SBytes("input1"));
            second = arena.Place(set.SBytes("input2"));
            output = arena.Reserve(size);
            arena.Seal();
            return arena;
        }
    }
}
