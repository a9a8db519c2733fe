using System.Device.Pwm;
using nanoFramework.Hardware.Esp32;
using QuantEdge.Node.Hardware;

namespace QuantEdge.Firmware
{
    /// <summary>
    /// PWM outputs through System.Device.Pwm on the ESP32's LEDC channels: each GPIO is first given
    /// the next free PWM function (PWM1..PWM16; channels come in pairs sharing one timer, so two
    /// outputs with different frequencies should not be neighbours: node pack keeps one frequency per pair).
    /// </summary>
    public sealed class PwmOutputs : IPwmOutputs
    {
        private static readonly DeviceFunction[] Functions =
        {
            DeviceFunction.PWM1, DeviceFunction.PWM2, DeviceFunction.PWM3, DeviceFunction.PWM4,
            DeviceFunction.PWM5, DeviceFunction.PWM6, DeviceFunction.PWM7, DeviceFunction.PWM8,
            DeviceFunction.PWM9, DeviceFunction.PWM10, DeviceFunction.PWM11, DeviceFunction.PWM12,
            DeviceFunction.PWM13, DeviceFunction.PWM14, DeviceFunction.PWM15, DeviceFunction.PWM16,
        };

        private readonly PwmChannel[] channels = new PwmChannel[64];
        private int used;

        public void Open(int gpio, int frequencyHz)
        {
            Configuration.SetPinFunction(gpio, Functions[used++]);
            PwmChannel channel = PwmChannel.CreateFromPin(gpio, frequencyHz, 0);
            channel.Start();
            channels[gpio] = channel;
        }

        public void SetDuty(int gpio, int permille)
        {
            // The only floating point in the node: the PWM API takes its duty as a double.
            channels[gpio].DutyCycle = permille / 1000.0;
        }
    }
}
