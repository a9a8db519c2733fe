using System.Device.Gpio;
using QuantEdge.Node.Hardware;

namespace QuantEdge.Firmware
{
    /// <summary>GPIO pins through System.Device.Gpio.</summary>
    public sealed class GpioPins : IDigitalPins
    {
        private GpioController controller;
        private readonly GpioPin[] pins = new GpioPin[64];

        public void OpenInput(int gpio, int pull)
        {
            pins[gpio] = Controller().OpenPin(gpio, pull == Pull.Up ? PinMode.InputPullUp : pull == Pull.Down ? PinMode.InputPullDown : PinMode.Input);
        }

        public void OpenOutput(int gpio)
        {
            pins[gpio] = Controller().OpenPin(gpio, PinMode.Output);
        }

        public bool Read(int gpio)
        {
            return pins[gpio].Read() == PinValue.High;
        }

        public void Write(int gpio, bool high)
        {
            pins[gpio].Write(high ? PinValue.High : PinValue.Low);
        }

        private GpioController Controller()
        {
            if (controller == null)
            {
                controller = new GpioController();
            }

            return controller;
        }
    }
}
