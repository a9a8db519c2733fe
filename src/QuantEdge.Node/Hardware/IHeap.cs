namespace QuantEdge.Node.Hardware
{
    /// <summary>The managed heap, so the node can report what the model really costs.</summary>
    public interface IHeap
    {
        /// <summary>Free bytes after a collection (nanoFramework: <c>GC.Run(false)</c>; never a compacting run).</summary>
        int FreeBytes();
    }
}
