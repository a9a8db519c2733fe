using QuantEdge.Node;
using QuantEdge.Node.Hardware;

namespace QuantEdge.Firmware
{
    /// <summary>
    /// The sensor-node application: wires the nanoFramework hardware of an ESP32 into the node's logic
    /// and runs it. Everything the node does (boot, sampling, predictions, outputs, sleep) is in
    /// QuantEdge.Node; this assembly only adapts the hardware APIs. The model and node configuration
    /// come from I:\model.qem and I:\node.bin when deployed there, else from this app's resources.
    /// </summary>
    public static class Program
    {
        public static void Main()
        {
            new NodeApp(Esp32Hardware()).Run();
        }

        /// <summary>The adapters over this board's nanoFramework APIs; each opens its hardware on first use.</summary>
        public static NodeHardware Esp32Hardware()
        {
            NodeHardware hardware = new NodeHardware();
            hardware.Analog = new AdcInputs();
            hardware.Pins = new GpioPins();
            hardware.Pwm = new PwmOutputs();
            hardware.I2c = new I2cBuses();
            hardware.Clock = new Esp32Clock();
            hardware.Heap = new ManagedHeap();
            hardware.Log = new ConsoleLog();
            hardware.Files = new DriveStorage();
            hardware.Resources = new ResourceStorage();
            return hardware;
        }
    }
}
