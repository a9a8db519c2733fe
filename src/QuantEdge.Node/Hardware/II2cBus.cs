namespace QuantEdge.Node.Hardware
{
    /// <summary>The board's I2C buses.</summary>
    public interface II2cBus
    {
        /// <summary>
        /// Puts bus <paramref name="bus"/> on these GPIOs before its first read (ESP32: a pin function per
        /// line); −1 keeps the firmware's default pins. Called once per I2C input at boot.
        /// </summary>
        void OpenBus(int bus, int dataGpio, int clockGpio);

        /// <summary>
        /// Writes the register number to device <paramref name="address"/> on bus <paramref name="bus"/>
        /// (1-based, as nanoFramework numbers them), then reads destination.Length bytes. False when
        /// the device did not acknowledge or the transfer was partial.
        /// </summary>
        bool ReadRegister(int bus, int address, int register, byte[] destination);
    }
}
