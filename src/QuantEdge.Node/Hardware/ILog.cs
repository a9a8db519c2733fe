namespace QuantEdge.Node.Hardware
{
    /// <summary>The serial console.</summary>
    public interface ILog
    {
        void WriteLine(string line);
    }
}
