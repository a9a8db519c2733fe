using System;
using QuantEdge.Node.Hardware;

namespace QuantEdge.Firmware
{
    /// <summary>The serial console (Console.WriteLine reaches it in Release builds too, unlike Debug.WriteLine).</summary>
    public sealed class ConsoleLog : ILog
    {
        public void WriteLine(string line)
        {
            Console.WriteLine(line);
        }
    }
}
