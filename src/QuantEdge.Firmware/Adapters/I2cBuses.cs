using System.Device.I2c;
using QuantEdge.Node.Hardware;

namespace QuantEdge.Firmware
{
    /// <summary>I2C register reads through System.Device.I2c, one device object per (bus, address), made on first use.</summary>
    public sealed class I2cBuses : II2cBus
    {
        private readonly I2cDevice[] devices = new I2cDevice[8 * 128];
        private readonly byte[] registerByte = new byte[1];

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
