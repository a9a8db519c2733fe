using System;
using QuantEdge.Node.Config;
using QuantEdge.Node.Hardware;

namespace QuantEdge.Node.Sampling
{
    /// <summary>
    /// Reads every input of a node and turns the readings into the model's raw feature values:
    /// <c>samples</c> readings <c>intervalMs</c> apart, one statistic over them, then the integer
    /// scaling node pack computed (docs/node-format.md). Integer arithmetic only.
    /// </summary>
    public sealed class Sampler
    {
        private readonly InputConfig[] inputs;
        private readonly NodeHardware hardware;
        private readonly byte[][] i2cBuffers;

        public Sampler(InputConfig[] inputs, NodeHardware hardware)
        {
            this.inputs = inputs;
            this.hardware = hardware;
            i2cBuffers = new byte[inputs.Length][];
            for (int i = 0; i < inputs.Length; i++)
            {
                if (inputs[i].Kind == NodeFormat.InputI2c)
                {
                    i2cBuffers[i] = new byte[inputs[i].ByteCount];
                }
            }
        }

        /// <summary>The message of the last failed reading (which input, what went wrong), or null.</summary>
        public string Failure { get; private set; }

        /// <summary>Opens the digital input pins and puts the I2C buses on their pins.</summary>
        public void OpenPins()
        {
            for (int i = 0; i < inputs.Length; i++)
            {
                InputConfig input = inputs[i];
                if (input.Kind == NodeFormat.InputDigital)
                {
                    hardware.Pins.OpenInput(input.Source, input.Pull);
                }
                else if (input.Kind == NodeFormat.InputI2c)
                {
                    hardware.I2c.OpenBus(input.Source, input.DataGpio, input.ClockGpio);
                }
            }
        }

        /// <summary>
        /// Samples every input into <paramref name="raw"/> (one value per input). False, with
        /// <see cref="Failure"/> set, when a sensor could not be read: the caller skips this prediction.
        /// </summary>
        public bool Sample(int[] raw)
        {
            Failure = null;
            for (int i = 0; i < inputs.Length; i++)
            {
                InputConfig input = inputs[i];
                if (input.Kind == NodeFormat.InputConstant)
                {
                    raw[i] = input.RawOffset;
                    continue;
                }

                long sum = 0, min = long.MaxValue, max = long.MinValue;
                for (int s = 0; s < input.Samples; s++)
                {
                    if (s > 0 && input.IntervalMs > 0)
                    {
                        hardware.Clock.Delay(input.IntervalMs);
                    }

                    long reading;
                    if (!TryRead(i, out reading))
                    {
                        return false;
                    }

                    sum += reading;
                    min = reading < min ? reading : min;
                    max = reading > max ? reading : max;
                }

                raw[i] = input.Scale(Statistic(input.Statistic, sum, input.Samples, min, max));
            }

            return true;
        }

        /// <summary>The statistic over n readings; the mean is rounded half up: floor((2·sum + n) / (2·n)).</summary>
        public static long Statistic(int statistic, long sum, int n, long min, long max)
        {
            switch (statistic)
            {
                case NodeFormat.StatisticMin: return min;
                case NodeFormat.StatisticMax: return max;
                case NodeFormat.StatisticRange: return max - min;
                default: return FloorDivide(2 * sum + n, 2L * n);
            }
        }

        /// <summary>Assembles an I2C register value from its bytes, in either byte order, sign-extended when signed.</summary>
        public static long Assemble(byte[] bytes, bool bigEndian, bool signed)
        {
            long value = 0;
            int n = bytes.Length;
            for (int k = 0; k < n; k++)
            {
                value = (value << 8) | bytes[bigEndian ? k : n - 1 - k];
            }

            int unused = 64 - 8 * n;
            return signed ? (value << unused) >> unused : value;
        }

        private static long FloorDivide(long numerator, long denominator)
        {
            long quotient = numerator / denominator;
            return numerator % denominator < 0 ? quotient - 1 : quotient;
        }

        // One reading of input i. Only the hardware call is guarded: an adapter may throw anything
        // (a missing native, a bus error), and one bad reading must not stop the node.
        private bool TryRead(int i, out long reading)
        {
            InputConfig input = inputs[i];
            reading = 0;
            try
            {
                switch (input.Kind)
                {
                    case NodeFormat.InputAdc:
                        reading = hardware.Analog.Read(input.Source);
                        return true;
                    case NodeFormat.InputDigital:
                        reading = hardware.Pins.Read(input.Source) ? 1 : 0;
                        return true;
                    default:
                        byte[] buffer = i2cBuffers[i];
                        if (!hardware.I2c.ReadRegister(input.Source, input.Address, input.Register, buffer))
                        {
                            Failure = "input " + i.ToString() + " (" + input.Describe() + "): the device did not answer";
                            return false;
                        }

                        reading = Assemble(buffer, input.BigEndian, input.Signed);
                        return true;
                }
            }
            catch (Exception e)
            {
                Failure = "input " + i.ToString() + " (" + input.Describe() + "): " + e.Message;
                return false;
            }
        }
    }
}
