
namespace QuantEdge.DeviceBench
{
    /// <summary>
    /// The workloads on the native kernels: the managed workloads' layers (KernelWorkloads.cs, same data) through
    /// QuantEdge.Runtime.Interop, and the models loaded as an application loads them. Each name ends in " native",
    /// beside the managed workload it mirrors. The host-native benchmark (bench/QuantEdge.NativeHostBench) builds
    /// this same list over the C compiled for the host.
    /// </summary>
    internal static class NativeWorkloads
    {
        public const string Suffix = " native";

        /// <summary>The kernels' native workloads, then the models' (<paramref name="names"/>, <paramref name="blobs"/>).</summary>
        public static Workload[] All(string[] names, byte[][] blobs)
        {
            return Workload.Join(KernelWorkloads.All(true), ModelWorkload.All(names, blobs, true));
        }

        public static bool IsNative(Workload workload)
        {
            string name = workload.Name;
            return name.Length > Suffix.Length && name.Substring(name.Length - Suffix.Length) == Suffix;
        }
    }
}
