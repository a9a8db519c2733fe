using System;
using nanoFramework.TestFramework;
using QuantEdge.DeviceTests.Support;
using QuantEdge.Runtime;
using QuantEdge.Runtime.Interop;
using QuantEdge.Runtime.Native;

namespace QuantEdge.DeviceTests
{
    /// <summary>
    /// Which kernels this interpreter gives a model, on both firmwares: the stock nanoCLR has no native code for
    /// QuantEdge.Runtime.Interop, so its methods throw NotSupportedException and Model.Load keeps the managed
    /// kernels; a nanoCLR built with it (tools/build-native-nanoclr) runs the native ones. The test prints
    /// "kernels: native" or "kernels: managed", and tools/device-test fails when that is not what the
    /// interpreter it ran should give (--native or not).
    /// </summary>
    [TestClass]
    public class KernelPathTests
    {
        [TestMethod]
        public void ModelRunsTheKernelsThisFirmwareHas()
        {
            bool native = NativeKernels.Available();
            Console.WriteLine("kernels: " + (native ? "native" : "managed"));
            byte[] blob = Resources.GetBytes(TestModel.Blob("DemoMlp"));
            Model model = Model.Load(blob);
            Assert.AreEqual(native ? (int)KernelPath.Native : (int)KernelPath.Managed, (int)model.Kernels, "Model.Kernels");
            Assert.IsTrue(model.SelfTest(), "self-test on the kernels Model.Load chose");
            Model managed = Model.Load(blob, false);
            Assert.AreEqual((int)KernelPath.Managed, (int)managed.Kernels, "Model.Load(blob, false).Kernels");
            Assert.IsTrue(managed.SelfTest(), "self-test on the managed kernels");
        }

        /// <summary>The stock firmware's answer to every native method: NotSupportedException, which the probe catches.</summary>
        [TestMethod]
        public void WithoutNativeCodeEveryNativeMethodThrowsNotSupported()
        {
            if (NativeKernels.Available())
            {
                Assert.AreEqual(NativeKernels.AbiVersion, NativeMethods.Version(), "the native kernels' interface version");
                return;
            }

            Assert.ThrowsException(typeof(NotSupportedException), () => NativeMethods.Version());
            Assert.ThrowsException(typeof(NotSupportedException), () => NativeMethods.Add(new sbyte[4], new int[16]));
        }
    }
}
