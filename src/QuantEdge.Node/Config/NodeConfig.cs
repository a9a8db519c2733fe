using QuantEdge.Runtime;
using QuantEdge.Runtime.Format;

namespace QuantEdge.Node.Config
{
    /// <summary>
    /// A node's configuration, read from node.bin (docs/node-format.md; written by
    /// <c>quantedge node pack</c>). <see cref="Parse"/> checks every field before the node uses it.
    /// </summary>
    public sealed class NodeConfig
    {
        public int SamplePeriodMs;
        public bool DeepSleep;
        public bool Heartbeat;
        public int Hysteresis;

        /// <summary>GPIO of the status LED, or −1 for none.</summary>
        public int StatusLedGpio;
        public bool StatusLedActiveLow;

        /// <summary>The input and output counts of the model this configuration was packed for.</summary>
        public int ModelInputs, ModelOutputs;

        public InputConfig[] Inputs;
        public OutputConfig[] Outputs;

        /// <summary>The file's CRC-32: identifies the configuration a saved state belongs to.</summary>
        public int Crc;

        /// <summary>Reads and validates node.bin.</summary>
        /// <exception cref="NodeConfigException">The bytes break a rule of the format.</exception>
        public static NodeConfig Parse(byte[] bytes)
        {
            if (bytes == null || bytes.Length < NodeFormat.HeaderLength)
            {
                throw new NodeConfigException("shorter than the " + NodeFormat.HeaderLength.ToString() + "-byte header");
            }

            WordReader r = new WordReader(bytes);
            Check(r.Int32() == NodeFormat.Magic, "not a QuantEdge node configuration (expected \"QEN1\")");
            int major = r.UInt16();
            r.UInt16();
            Check(major == NodeFormat.VersionMajor, "format version " + major.ToString() + ", this node reads version " + NodeFormat.VersionMajor.ToString());
            Check(r.Int32() == bytes.Length, "length field does not match the file's " + bytes.Length.ToString() + " bytes");
            int crc = r.Int32();
            Check((int)Crc32.Compute(bytes, NodeFormat.CrcStart, bytes.Length - NodeFormat.CrcStart) == crc, "the file is corrupted (CRC mismatch)");

            NodeConfig config = new NodeConfig();
            config.Crc = crc;
            config.SamplePeriodMs = r.Range(NodeFormat.MinSamplePeriodMs, NodeFormat.MaxSamplePeriodMs, "sample period");
            int flags = r.Int32();
            Check((flags & ~(NodeFormat.FlagDeepSleep | NodeFormat.FlagHeartbeat)) == 0, "unknown flags");
            config.DeepSleep = (flags & NodeFormat.FlagDeepSleep) != 0;
            config.Heartbeat = (flags & NodeFormat.FlagHeartbeat) != 0;
            config.Hysteresis = r.Range(1, NodeFormat.MaxHysteresis, "hysteresis");
            config.StatusLedGpio = r.Range(-1, NodeFormat.MaxGpio, "status LED GPIO");
            config.StatusLedActiveLow = r.Flag("status LED active level");
            config.ModelInputs = r.Range(1, NodeFormat.MaxInputs, "model input count");
            config.ModelOutputs = r.Range(1, int.MaxValue, "model output count");
            int inputCount = r.Range(config.ModelInputs, config.ModelInputs, "input count");
            int inputWords = r.Range(NodeFormat.InputWords, 255, "input record words");
            int outputCount = r.Range(0, NodeFormat.MaxOutputs, "output count");
            int outputWords = r.Range(NodeFormat.OutputWords, 255, "output record words");
            Check((long)inputCount * inputWords + (long)outputCount * outputWords == (bytes.Length - NodeFormat.HeaderLength) / 4
                && (bytes.Length & 3) == 0, "records do not fill the file exactly");

            config.Inputs = new InputConfig[inputCount];
            for (int i = 0; i < inputCount; i++)
            {
                int end = r.Position + 4 * inputWords;
                config.Inputs[i] = ReadInput(r, "input " + i.ToString() + ": ");
                r.Position = end;
            }

            config.Outputs = new OutputConfig[outputCount];
            for (int i = 0; i < outputCount; i++)
            {
                int end = r.Position + 4 * outputWords;
                config.Outputs[i] = ReadOutput(r, "output " + i.ToString() + ": ", config.ModelOutputs);
                r.Position = end;
            }

            return config;
        }

        /// <summary>
        /// Throws unless this configuration was packed for a model with <paramref name="model"/>'s inputs and
        /// outputs, and drives class outputs only from a classifier.
        /// </summary>
        public void CheckModel(Model model)
        {
            Check(model.InputTensor.ElementsPerBatch == ModelInputs && model.OutputTensor.ElementsPerBatch == ModelOutputs,
                "packed for a model with " + ModelInputs.ToString() + " inputs and " + ModelOutputs.ToString() + " outputs, the model has "
                + model.InputTensor.ElementsPerBatch.ToString() + " and " + model.OutputTensor.ElementsPerBatch.ToString());
            for (int i = 0; i < Outputs.Length; i++)
            {
                Check(!Outputs[i].FollowsClass || model.Task == ModelTask.Classification,
                    "output " + i.ToString() + " follows a class, and the model is not a classifier");
            }
        }

        private static InputConfig ReadInput(WordReader r, string where)
        {
            InputConfig input = new InputConfig();
            input.Kind = r.Range(NodeFormat.InputConstant, NodeFormat.InputI2c, where + "kind");
            int a = r.Int32(), b = r.Int32(), c = r.Int32(), d = r.Int32();
            switch (input.Kind)
            {
                case NodeFormat.InputAdc:
                    Check(a >= 0 && a <= 63 && b == 0 && c == 0 && d == 0, where + "bad ADC channel words");
                    input.Source = a;
                    break;
                case NodeFormat.InputDigital:
                    Check(a >= 0 && a <= NodeFormat.MaxGpio && b >= 0 && b <= 2 && c == 0 && d == 0, where + "bad digital input words");
                    input.Source = a;
                    input.Pull = b;
                    break;
                case NodeFormat.InputI2c:
                    int bytes = d & 255;
                    Check(a >= 1 && a <= 8 && b >= 0 && b <= 127 && c >= 0 && c <= 255
                        && (bytes == 1 || bytes == 2 || bytes == 4) && (d & ~(255 | NodeFormat.I2cBigEndian | NodeFormat.I2cSigned)) == 0,
                        where + "bad I2C words");
                    input.Source = a;
                    input.Address = b;
                    input.Register = c;
                    input.ByteCount = bytes;
                    input.BigEndian = (d & NodeFormat.I2cBigEndian) != 0;
                    input.Signed = (d & NodeFormat.I2cSigned) != 0;
                    break;
                default:
                    Check(a == 0 && b == 0 && c == 0 && d == 0, where + "a constant has no source");
                    break;
            }

            input.Samples = r.Range(1, NodeFormat.MaxSamples, where + "samples");
            input.IntervalMs = r.Range(0, NodeFormat.MaxIntervalMs, where + "sample interval");
            input.Statistic = r.Range(NodeFormat.StatisticMean, NodeFormat.StatisticRange, where + "statistic");
            input.Multiplier = r.Int32();
            input.Shift = r.Range(0, NodeFormat.MaxShift, where + "shift");
            input.RawOffset = r.Int32();
            int pins = r.Int32();
            if (input.Kind == NodeFormat.InputI2c && pins != 0)
            {
                int sda = pins & 255, scl = (pins >> 8) & 255;
                Check((pins & ~0xFFFF) == NodeFormat.I2cPinsGiven && sda <= NodeFormat.MaxGpio && scl <= NodeFormat.MaxGpio && sda != scl,
                    where + "bad I2C pins");
                input.DataGpio = sda;
                input.ClockGpio = scl;
            }
            else
            {
                Check(pins == 0, where + "reserved word is not 0");
            }

            Check(input.Kind != NodeFormat.InputConstant || (input.Samples == 1 && input.Multiplier == 0), where + "a constant has no readings");
            return input;
        }

        private static OutputConfig ReadOutput(WordReader r, string where, int outputs)
        {
            OutputConfig output = new OutputConfig();
            output.Kind = r.Range(NodeFormat.OutputGpio, NodeFormat.OutputThreshold, where + "kind");
            output.Output = r.Range(0, outputs - 1, where + "model output");
            output.Gpio = r.Range(0, NodeFormat.MaxGpio, where + "GPIO");
            int activeLow = r.Range(0, 1, where + "active level");
            int a = r.Int32(), b = r.Int32();
            switch (output.Kind)
            {
                case NodeFormat.OutputGpio:
                    Check(a == 0 && b == 0, where + "an on/off output has no parameters");
                    break;
                case NodeFormat.OutputPwm:
                    Check(a >= 1 && a <= NodeFormat.MaxPwmFrequencyHz && b == 0, where + "bad PWM frequency");
                    output.FrequencyHz = a;
                    break;
                case NodeFormat.OutputValuePwm:
                    output.LowCode = (short)b;
                    output.HighCode = b >> 16;
                    Check(a >= 1 && a <= NodeFormat.MaxPwmFrequencyHz && IsCode(output.LowCode) && IsCode(output.HighCode)
                        && output.LowCode != output.HighCode, where + "bad PWM frequency or value range");
                    output.FrequencyHz = a;
                    break;
                default:
                    Check(IsCode(a) && IsCode(b) && b < a, where + "thresholds: off " + b.ToString() + " must lie below on " + a.ToString() + ", both int8 codes");
                    output.OnCode = a;
                    output.OffCode = b;
                    break;
            }

            Check(activeLow == 0 || output.Kind == NodeFormat.OutputGpio || output.Kind == NodeFormat.OutputThreshold,
                where + "a PWM output has no active level");
            output.ActiveLow = activeLow == 1;
            return output;
        }

        private static bool IsCode(int value)
        {
            return value >= -128 && value <= 127;
        }

        private static void Check(bool ok, string detail)
        {
            if (!ok)
            {
                throw new NodeConfigException(detail);
            }
        }

        /// <summary>Little-endian words, bounds-checked: a short file is a NodeConfigException, never an IndexOutOfRangeException.</summary>
        private sealed class WordReader
        {
            private readonly byte[] bytes;
            public int Position;

            public WordReader(byte[] bytes)
            {
                this.bytes = bytes;
            }

            public int Int32()
            {
                Check(Position + 4 <= bytes.Length, "runs past its end");
                int value = bytes[Position] | (bytes[Position + 1] << 8) | (bytes[Position + 2] << 16) | (bytes[Position + 3] << 24);
                Position += 4;
                return value;
            }

            public int UInt16()
            {
                Check(Position + 2 <= bytes.Length, "runs past its end");
                int value = bytes[Position] | (bytes[Position + 1] << 8);
                Position += 2;
                return value;
            }

            public int Range(int min, int max, string what)
            {
                int value = Int32();
                Check(value >= min && value <= max, what + " " + value.ToString() + " outside " + min.ToString() + ".." + max.ToString());
                return value;
            }

            public bool Flag(string what)
            {
                return Range(0, 1, what) == 1;
            }
        }
    }
}
