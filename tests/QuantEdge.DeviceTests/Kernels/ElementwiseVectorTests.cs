using nanoFramework.TestFramework;
using QuantEdge.DeviceTests.Support;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.DeviceTests.Kernels
{
    /// <summary>Add, Mul and Softmax on their CMSIS-NN sets (one each), bit for bit.</summary>
    [TestClass]
    public class ElementwiseVectorTests
    {
        [TestMethod]
        public void AddMatchesCmsisNn()
        {
            CmsisSets.CheckAll(Resources.BinaryResources.CmsisAdd, 1, "Add", RunAdd);
        }

        [TestMethod]
        public void MulMatchesCmsisNn()
        {
            CmsisSets.CheckAll(Resources.BinaryResources.CmsisMul, 1, "Mul", RunMul);
        }

        [TestMethod]
        public void SoftmaxMatchesCmsisNn()
        {
            CmsisSets.CheckAll(Resources.BinaryResources.CmsisSoftmax, 1, "Softmax", RunSoftmax);
        }

        private static sbyte[] RunAdd(DataRecord set)
        {
            AddParams p = new AddParams();
            SetShared(p, set);
            p.LeftShift = set.Field("left_shift");
            p.Input1Multiplier = set.Field("input1_multiplier");
            p.Input1Shift = set.Field("input1_shift");
            p.Input2Multiplier = set.Field("input2_multiplier");
            p.Input2Shift = set.Field("input2_shift");
            p.OutputMultiplier = set.Field("output_multiplier");
            p.OutputShift = set.Field("output_shift");
            return RunBinary(p, set, true);
        }

        private static sbyte[] RunMul(DataRecord set)
        {
            MulParams p = new MulParams();
            SetShared(p, set);
            p.OutputMultiplier = set.Field("output_multiplier");
            p.OutputShift = set.Field("output_shift");
            return RunBinary(p, set, false);
        }

        private static void SetShared(ElementwiseParams p, DataRecord set)
        {
            p.Size = set.Field("size");
            p.Input1ZeroPoint = set.Field("input1_zero_point");
            p.Input2ZeroPoint = set.Field("input2_zero_point");
            p.OutputZeroPoint = set.Field("output_zero_point");
            p.ActivationMin = set.Field("activation_min");
            p.ActivationMax = set.Field("activation_max");
        }

        private static sbyte[] RunBinary(ElementwiseParams p, DataRecord set, bool add)
        {
            sbyte[] input1 = set.SBytes("input1"), input2 = set.SBytes("input2");
            GuardedArena arena = new GuardedArena(3 * p.Size);
            int first = arena.Place(input1);
            int second = arena.Place(input2);
            int output = arena.Reserve(p.Size);
            arena.Seal();
            if (add)
            {
                Add.Eval((AddParams)p, arena.Data, first, second, output);
            }
            else
            {
                Mul.Eval((MulParams)p, arena.Data, first, second, output);
            }

            return arena.Output(output, p.Size);
        }

        private static sbyte[] RunSoftmax(DataRecord set)
        {
            SoftmaxParams p = new SoftmaxParams();
            p.Rows = set.Field("num_rows");
            p.RowSize = set.Field("row_size");
            p.InputMultiplier = set.Field("input_multiplier");
            p.InputLeftShift = set.Field("input_left_shift");
            p.DiffMin = set.Field("diff_min");
            sbyte[] input = set.SBytes("input");
            GuardedArena arena = new GuardedArena(2 * input.Length);
            int inputOffset = arena.Place(input);
            int output = arena.Reserve(input.Length);
            arena.Seal();
            Softmax.Eval(p, arena.Data, inputOffset, output);
            return arena.Output(output, input.Length);
        }
    }
}
