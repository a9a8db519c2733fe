using System.Device.I2c;
using nanoFramework.Hardware.Esp32;
using QuantEdge.Node.Hardware;

namespace QuantEdge.Firmware
{
    /// <summary>
    /// I2C register reads through System.Device.I2c, one device object per (bus, address), made on first
    /// use; each bus first put on the pins node.bin names (Configuration.SetPinFunction, before the bus
    /// is opened: boards such as the M5StickC Plus or the S3 do not use nanoFramework's default pins).
    /// </summary>
    public sealed class I2cBuses : II2cBus
    {
        private readonly I2cDevice[] devices = new I2cDevice[8 * 128];
        private readonly byte[] registerByte = new byte[1];

        public void OpenBus(int bus, int dataGpio, int clockGpio)
        {
            if (dataGpio >= 0)
            {
                Configuration.SetPinFunction(dataGpio, bus == 1 ? DeviceFunction.I2C1_DATA : DeviceFunction.I2C2_DATA);
                Configuration.SetPinFunction(clockGpio, bus == 1 ? DeviceFunction.I2C1_CLOCK : DeviceFunction.I2C2_CLOCK);
            }
        }

        public bool ReadRegister(int bus, int address, int register, byte[] destination)
        {
            int key = (bus - 1) * 128 + address;
            I2cDevice device = devices[key];
            if (device == null)
            {
                device = I2cDevice.Create(new I2cConnectionSettings(bus, address, I2cBusSpeed.StandardMode));
                devices[key] = device;
            }

            registerByte[0] = (byte)register;
            I2cTransferResult result = device.WriteRead(registerByte, destination);
            return result.Status == I2cTransferStatus.FullTransfer;
        }
    }
}
