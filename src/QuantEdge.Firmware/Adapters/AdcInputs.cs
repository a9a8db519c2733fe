using System.Device.Adc;
using QuantEdge.Node.Hardware;

namespace QuantEdge.Firmware
{
    /// <summary>ADC channels through System.Device.Adc; each channel is opened on its first reading.</summary>
    public sealed class AdcInputs : IAnalogInputs
    {
        private AdcController controller;
        private readonly AdcChannel[] channels = new AdcChannel[64];

        public int Read(int channel)
        {
            AdcChannel open = channels[channel];
            if (open == null)
            {
                if (controller == null)
                {
                    controller = new AdcController();
                }

                open = controller.OpenChannel(channel);
                channels[channel] = open;
            }

            return open.ReadValue();
        }
    }
}
