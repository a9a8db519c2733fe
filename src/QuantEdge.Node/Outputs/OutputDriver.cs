using QuantEdge.Node.Config;
using QuantEdge.Node.Hardware;

namespace QuantEdge.Node.Outputs
{
    /// <summary>
    /// Drives the pins the classes map to: an on/off output is active while its class is the stable
    /// prediction; a PWM output's duty follows its class's score at every prediction.
    /// </summary>
    public sealed class OutputDriver
    {
        private readonly OutputConfig[] outputs;
        private readonly NodeHardware hardware;

        public OutputDriver(OutputConfig[] outputs, NodeHardware hardware)
        {
            this.outputs = outputs;
            this.hardware = hardware;
        }

        /// <summary>Opens every output pin (PWM at duty 0); <see cref="ShowClass"/> then sets the on/off ones.</summary>
        public void Open()
        {
            for (int i = 0; i < outputs.Length; i++)
            {
                OutputConfig output = outputs[i];
                if (output.Kind == NodeFormat.OutputPwm)
                {
                    hardware.Pwm.Open(output.Gpio, output.FrequencyHz);
                }
                else
                {
                    hardware.Pins.OpenOutput(output.Gpio);
                }
            }
        }

        /// <summary>Sets every on/off output for the stable class (−1: none active).</summary>
        public void ShowClass(int stableClass)
        {
            for (int i = 0; i < outputs.Length; i++)
            {
                OutputConfig output = outputs[i];
                if (output.Kind == NodeFormat.OutputGpio)
                {
                    bool active = output.ClassIndex == stableClass;
                    hardware.Pins.Write(output.Gpio, active != output.ActiveLow);
                }
            }
        }

        /// <summary>Sets every PWM output's duty from its class's int8 score (<paramref name="scores"/>: one per class).</summary>
        public void ShowScores(sbyte[] scores)
        {
            for (int i = 0; i < outputs.Length; i++)
            {
                OutputConfig output = outputs[i];
                if (output.Kind == NodeFormat.OutputPwm)
                {
                    hardware.Pwm.SetDuty(output.Gpio, DutyPermille(scores[output.ClassIndex]));
                }
            }
        }

        /// <summary>
        /// (q + 128) × 1000 / 256, truncated: an int8 softmax output (scale 1/256, zero point −128)
        /// becomes its probability in permille.
        /// </summary>
        public static int DutyPermille(int q)
        {
            return (q + 128) * 1000 / 256;
        }
    }
}
