namespace QuantEdge.Node.Hardware
{
    /// <summary>
    /// Everything the node touches outside itself: the firmware fills it with adapters over the
    /// nanoFramework hardware APIs, tests and <c>quantedge simulate</c> with fakes. A field the node
    /// configuration never uses may be null (a node without I2C inputs needs no I2C bus).
    /// </summary>
    public sealed class NodeHardware
    {
        public IAnalogInputs Analog;
        public IDigitalPins Pins;
        public IPwmOutputs Pwm;
        public II2cBus I2c;
        public IClock Clock;
        public IHeap Heap;
        public ILog Log;

        /// <summary>Writable files (<c>I:\</c>): looked in first for the model and node configuration; holds the state file.</summary>
        public IStorage Files;

        /// <summary>The application's embedded resources: the model and node configuration built into the firmware.</summary>
        public IStorage Resources;
    }
}
