namespace QuantEdge.Node.Hardware
{
    /// <summary>The board's analog-to-digital converter.</summary>
    public interface IAnalogInputs
    {
        /// <summary>
        /// One raw reading of ADC <paramref name="channel"/> (nanoFramework's logical channel number,
        /// not a GPIO): on an ESP32 a 12-bit count, 0..4095.
        /// </summary>
        int Read(int channel);
    }
}
