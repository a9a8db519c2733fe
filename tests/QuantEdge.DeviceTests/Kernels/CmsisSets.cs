using QuantEdge.DeviceTests.Support;

namespace QuantEdge.DeviceTests.Kernels
{
    /// <summary>
    /// Runs one kernel over every CMSIS-NN set of its type (the Cmsis* resources, made on the host
    /// from tests/QuantEdge.Runtime.Tests/Vectors/cmsis-nn; Apache-2.0, Arm) and collects the sets
    /// whose output differs from TFLite's reference output.
    /// </summary>
    internal static class CmsisSets
    {
        /// <summary>One set through the kernel: the actual output (null when the kernel wrote outside it).</summary>
        public delegate sbyte[] Run(DataRecord set);

        /// <summary>
        /// Checks every set; fails naming each set that differs, and when the resource does not hold
        /// <paramref name="expectedSets"/> sets (so a lost or added set cannot pass unnoticed).
        /// </summary>
        public static void CheckAll(Resources.BinaryResources sets, int expectedSets, string kernel, Run run)
        {
            DataFile file = DataFile.Open(sets);
            nanoFramework.TestFramework.Assert.AreEqual(expectedSets, file.Count, "CMSIS-NN sets in the resource");
            Failures failures = new Failures();
            for (int i = 0; i < file.Count; i++)
            {
                DataRecord set = file.Read(i);
                string difference = Compare.Difference(set.SBytes("expected_output"), run(set));
                if (difference != null)
                {
                    failures.Add(set.Name + ": " + difference);
                }
            }

            failures.AssertNone(file.Count, kernel + " sets");
        }
    }
}
