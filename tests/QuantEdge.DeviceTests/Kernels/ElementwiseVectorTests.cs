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
            return RunBinary(CmsisLayers.Add(set), set, true);
        }

        private static sbyte[] RunMul(DataRecord set)
        {
            return RunBinary(CmsisLayers.Mul(set), set, false);
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
            SoftmaxParams p = CmsisLayers.Softmax(set);
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
