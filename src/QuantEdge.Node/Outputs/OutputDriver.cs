using QuantEdge.Node.Config;
using QuantEdge.Node.Hardware;

namespace QuantEdge.Node.Outputs
{
    /// <summary>
    /// Drives the pins the model's outputs map to: a class's pin is active while that class is the stable
    /// prediction; PWM duties follow every prediction (a class's score, or a value mapped onto 0..100%);
    /// a threshold pin turns on once its output reaches the on code and off once it falls to the off code,
    /// and holds its state in between (hysteresis in the output's own units, converted to int8 codes by
    /// node pack). All comparisons are on int8 codes: no floating point.
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

        /// <summary>One bit per output record: the threshold outputs that are on (what a deep sleep must keep).</summary>
        public int ThresholdsOn;

        /// <summary>Opens every output pin (PWM at duty 0); <see cref="ShowClass"/> and <see cref="ShowThresholds"/> then set the pins.</summary>
        public void Open()
        {
            for (int i = 0; i < outputs.Length; i++)
            {
                OutputConfig output = outputs[i];
                if (output.Kind == NodeFormat.OutputPwm || output.Kind == NodeFormat.OutputValuePwm)
                {
                    hardware.Pwm.Open(output.Gpio, output.FrequencyHz);
                }
                else
                {
                    hardware.Pins.OpenOutput(output.Gpio);
                }
            }
        }

        /// <summary>Sets every class pin for the stable class (−1: none active).</summary>
        public void ShowClass(int stableClass)
        {
            for (int i = 0; i < outputs.Length; i++)
            {
                OutputConfig output = outputs[i];
                if (output.Kind == NodeFormat.OutputGpio)
                {
                    hardware.Pins.Write(output.Gpio, (output.Output == stableClass) != output.ActiveLow);
                }
            }
        }

        /// <summary>Sets every threshold pin from <see cref="ThresholdsOn"/>.</summary>
        public void ShowThresholds()
        {
            for (int i = 0; i < outputs.Length; i++)
            {
                OutputConfig output = outputs[i];
                if (output.Kind == NodeFormat.OutputThreshold)
                {
                    hardware.Pins.Write(output.Gpio, ((ThresholdsOn >> i) & 1) != 0 != output.ActiveLow);
                }
            }
        }

        /// <summary>
        /// Takes one prediction's int8 outputs: updates the PWM duties and the threshold outputs (only a
        /// crossing changes a threshold pin). True when a threshold output changed.
        /// </summary>
        public bool ShowOutputs(sbyte[] values)
        {
            int before = ThresholdsOn;
            for (int i = 0; i < outputs.Length; i++)
            {
                OutputConfig output = outputs[i];
                int q = values[output.Output];
                switch (output.Kind)
                {
                    case NodeFormat.OutputPwm:
                        hardware.Pwm.SetDuty(output.Gpio, DutyPermille(q));
                        break;
                    case NodeFormat.OutputValuePwm:
                        hardware.Pwm.SetDuty(output.Gpio, MappedPermille(q, output.LowCode, output.HighCode));
                        break;
                    case NodeFormat.OutputThreshold:
                        if (q >= output.OnCode)
                        {
                            ThresholdsOn |= 1 << i;
                        }
                        else if (q <= output.OffCode)
                        {
                            ThresholdsOn &= ~(1 << i);
                        }

                        break;
                }
            }

            if (ThresholdsOn == before)
            {
                return false;
            }

            ShowThresholds();
            return true;
        }

        /// <summary>
        /// (q + 128) × 1000 / 256, truncated: an int8 softmax output (scale 1/256, zero point −128)
        /// becomes its probability in permille.
        /// </summary>
        public static int DutyPermille(int q)
        {
            return (q + 128) * 1000 / 256;
        }

        /// <summary>(q − low) × 1000 / (high − low), truncated toward zero and clamped to 0..1000 (high below low inverts the map).</summary>
        public static int MappedPermille(int q, int low, int high)
        {
            int permille = (q - low) * 1000 / (high - low);
            return permille < 0 ? 0 : permille > 1000 ? 1000 : permille;
        }
    }
}
