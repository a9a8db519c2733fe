namespace QuantEdge.Node.Config
{
    /// <summary>
    /// Where one model input comes from and how a reading becomes its raw feature value
    /// (docs/node-format.md, input record).
    /// </summary>
    public sealed class InputConfig
    {
        /// <summary><see cref="NodeFormat.InputConstant"/>, InputAdc, InputDigital or InputI2c.</summary>
        public int Kind;

        /// <summary>ADC channel, GPIO of a digital input, or I2C bus.</summary>
        public int Source;

        /// <summary>Digital input: <see cref="Hardware.Pull"/>.</summary>
        public int Pull;

        /// <summary>I2C: 7-bit device address, register, bytes read (1, 2 or 4), byte order and sign.</summary>
        public int Address, Register, ByteCount;
        public bool BigEndian, Signed;

        /// <summary>I2C: the bus's data and clock GPIOs, or −1 for the firmware's default pins.</summary>
        public int DataGpio = -1, ClockGpio = -1;

        /// <summary>Readings per prediction, the wait between them, and the statistic over them.</summary>
        public int Samples, IntervalMs, Statistic;

        /// <summary>raw = ((reading × Multiplier + 2^(Shift−1)) &gt;&gt; Shift) + RawOffset; a constant's raw value is RawOffset.</summary>
        public int Multiplier, Shift, RawOffset;

        /// <summary>The feature's raw value for a statistic of readings, in the model input's units.</summary>
        public int Scale(long reading)
        {
            long product = reading * Multiplier;
            if (Shift > 0)
            {
                product = (product + (1L << (Shift - 1))) >> Shift;
            }

            return (int)product + RawOffset;
        }

        /// <summary>What the input reads, for the boot report (e.g. "ADC 6 x16 mean").</summary>
        public string Describe()
        {
            string what;
            switch (Kind)
            {
                case NodeFormat.InputConstant: return "constant " + RawOffset.ToString();
                case NodeFormat.InputAdc: what = "ADC " + Source.ToString(); break;
                case NodeFormat.InputDigital: what = "GPIO" + Source.ToString(); break;
                default: what = "I2C" + Source.ToString() + " 0x" + Address.ToString("X2") + "/" + Register.ToString(); break;
            }

            if (Samples > 1)
            {
                string[] statistics = { "mean", "min", "max", "range" };
                what += " x" + Samples.ToString() + " " + statistics[Statistic];
            }

            return what;
        }
    }
}
