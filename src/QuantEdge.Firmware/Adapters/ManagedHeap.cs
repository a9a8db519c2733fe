using QuantEdge.Node.Hardware;

namespace QuantEdge.Firmware
{
    /// <summary>Free managed heap after a collection.</summary>
    public sealed class ManagedHeap : IHeap
    {
        public int FreeBytes()
        {
            // Never a compacting collection (Run(true)): it is slow on the device and crashes the POSIX nanoCLR.
            return (int)nanoFramework.Runtime.Native.GC.Run(false);
        }
    }
}
