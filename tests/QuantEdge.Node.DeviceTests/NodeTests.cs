using System;
using nanoFramework.TestFramework;
using QuantEdge.Firmware;
using QuantEdge.Node.Config;
using QuantEdge.Node.DeviceTests.Support;
using QuantEdge.Node.Hardware;
using QuantEdge.Node.Outputs;
using QuantEdge.Node.Sampling;
using QuantEdge.Runtime.Format;

namespace QuantEdge.Node.DeviceTests
{
    /// <summary>The node's own arithmetic and its node.bin reader on the interpreter (64-bit shifts and divisions included).</summary>
    [TestClass]
    public class NodeTests
    {
        [TestMethod]
        public void ReadsTheFirmwaresEmbeddedNodeConfiguration()
        {
            NodeConfig config = NodeConfig.Parse(new ResourceStorage().Read(NodeApp.ConfigFile));

            Assert.AreEqual(1000, config.SamplePeriodMs);
            Assert.AreEqual(2, config.Hysteresis);
            Assert.AreEqual(23, config.StatusLedGpio);
            Assert.AreEqual(4, config.Inputs.Length);
            Assert.AreEqual(NodeFormat.InputAdc, config.Inputs[3].Kind);
            Assert.AreEqual(5, config.Inputs[3].Source);
            Assert.AreEqual(8, config.Inputs[3].Samples);
            Assert.AreEqual(27, config.Outputs[2].Gpio);
            // An ADC count of 2000 is 4.000 cm, 4000 in the first feature's 10^-3 units.
            Assert.AreEqual(4000, config.Inputs[0].Scale(2000));
        }

        [TestMethod]
        public void CorruptedNodeConfigurationsThrowOnlyNodeConfigException()
        {
            byte[] original = new ResourceStorage().Read(NodeApp.ConfigFile);
            uint state = 12345;
            int parsed = 0, rejected = 0;
            for (int i = 0; i < 2000; i++)
            {
                byte[] bytes = (byte[])original.Clone();
                state = state * 1664525u + 1013904223u;
                int at = (int)((state >> 8) % (uint)bytes.Length);
                bytes[at] = (byte)(state >> 24);
                if (i % 2 == 0)
                {
                    uint crc = Crc32.Compute(bytes, NodeFormat.CrcStart, bytes.Length - NodeFormat.CrcStart);
                    bytes[12] = (byte)crc;
                    bytes[13] = (byte)(crc >> 8);
                    bytes[14] = (byte)(crc >> 16);
                    bytes[15] = (byte)(crc >> 24);
                }

                try
                {
                    NodeConfig.Parse(bytes);
                    parsed++;
                }
                catch (NodeConfigException)
                {
                    rejected++;
                }
                catch (Exception e)
                {
                    Assert.IsTrue(false, "mutation " + i.ToString() + " at byte " + at.ToString() + ": " + e.GetType().FullName + ": " + e.Message);
                }
            }

            OutputHelper.WriteLine(parsed.ToString() + " mutated node.bin parsed, " + rejected.ToString() + " rejected");
            Assert.IsTrue(rejected > 1000, "most mutations break a rule");
        }

        // The same cases as tests/QuantEdge.Node.Tests/SamplerTests.cs: the device must compute what the spec says.
        // (In arrays, not DataRows: a long DataRow argument crashed this interpreter's launcher.)
        [TestMethod]
        public void ScalingIsIntegerWithHalfUpRounding()
        {
            long[] readings = { 4095, 2048, 3, -3, 100, 4294967295 };
            int[] multipliers = { 3300, 3300, 1, 1, -7, 1073741823 };
            int[] shifts = { 12, 12, 1, 1, 0, 62 };
            int[] offsets = { 0, 0, 0, 0, 1000, 0 };
            int[] raws = { 3299, 1650, 2, -1, 300, 1 };
            for (int i = 0; i < readings.Length; i++)
            {
                InputConfig input = new InputConfig();
                input.Multiplier = multipliers[i];
                input.Shift = shifts[i];
                input.RawOffset = offsets[i];
                Assert.AreEqual(raws[i], input.Scale(readings[i]), "case " + i.ToString());
            }
        }

        [TestMethod]
        public void StatisticsAndI2cValuesMatchTheSpecification()
        {
            Assert.AreEqual(2L, Sampler.Statistic(NodeFormat.StatisticMean, 3, 2, 1, 2));
            Assert.AreEqual(-1L, Sampler.Statistic(NodeFormat.StatisticMean, -3, 2, -2, -1));
            Assert.AreEqual(-2L, Sampler.Statistic(NodeFormat.StatisticMean, -5, 3, -2, -1));
            Assert.AreEqual(4095L, Sampler.Statistic(NodeFormat.StatisticMean, 12284, 3, 4094, 4095));
            Assert.AreEqual(7L, Sampler.Statistic(NodeFormat.StatisticRange, 0, 2, -2, 5));
            Assert.AreEqual(0x1234L, Sampler.Assemble(new byte[] { 0x12, 0x34 }, true, false));
            Assert.AreEqual(0x3412L, Sampler.Assemble(new byte[] { 0x12, 0x34 }, false, false));
            Assert.AreEqual(-2L, Sampler.Assemble(new byte[] { 0xFF, 0xFE }, true, true));
            Assert.AreEqual(4294967295L, Sampler.Assemble(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, true, false));
            Assert.AreEqual(-2147483647L, Sampler.Assemble(new byte[] { 0x01, 0x00, 0x00, 0x80 }, false, true));
            Assert.AreEqual(996, OutputDriver.DutyPermille(127));
            Assert.AreEqual(0, OutputDriver.DutyPermille(-128));
            Assert.AreEqual(500, OutputDriver.MappedPermille(-40, -100, 20));
            Assert.AreEqual(991, OutputDriver.MappedPermille(19, -100, 20));
            Assert.AreEqual(1000, OutputDriver.MappedPermille(127, -100, 20));
            Assert.AreEqual(500, OutputDriver.MappedPermille(0, 100, -100));
        }

        [TestMethod]
        public void AThresholdOutputSwitchesWithHysteresis()
        {
            FakePins pins = new FakePins();
            NodeHardware hardware = new NodeHardware();
            hardware.Pins = pins;
            OutputConfig threshold = new OutputConfig();
            threshold.Kind = NodeFormat.OutputThreshold;
            threshold.Gpio = 25;
            threshold.OnCode = 40;
            threshold.OffCode = 10;
            OutputDriver driver = new OutputDriver(new OutputConfig[] { threshold }, hardware);
            sbyte[] value = new sbyte[1];
            int[] values = { 0, 39, 40, 30, 11, 10, 25, 127, -128 };
            bool[] on = { false, false, true, true, true, false, false, true, false };
            for (int i = 0; i < values.Length; i++)
            {
                value[0] = (sbyte)values[i];
                driver.ShowOutputs(value);
                Assert.AreEqual(on[i], driver.ThresholdsOn == 1, "value " + values[i].ToString());
                Assert.AreEqual(on[i], pins.Level[25], "pin at value " + values[i].ToString());
            }
        }

        [TestMethod]
        public void DeepSleepKeepsTheHysteresisAcrossRestarts()
        {
            FakeBoard fake = new FakeBoard(new ConsoleLog());
            fake.Drive.Write(NodeApp.ConfigFile, WithDeepSleep(new ResourceStorage().Read(NodeApp.ConfigFile)));
            int writesBefore = fake.Drive.Writes;
            Boards.Flower(fake, 2550, 1750, 700, 100);

            int[] stable = new int[3];
            for (int wake = 0; wake < 3; wake++)
            {
                // Each wake is a new application: only the state file remains of the last one.
                NodeApp app = new NodeApp(Boards.Hardware(fake, true));
                Assert.IsTrue(app.Boot(), "wake " + wake.ToString());
                app.Sleep(app.Cycle());
                stable[wake] = app.Hysteresis.Stable;
            }

            Assert.AreEqual(3, fake.DeepSleeps);
            Assert.AreEqual(-1, stable[0], "one prediction is not enough with hysteresis 2");
            Assert.AreEqual(0, stable[1], "the second wake's prediction completes the first wake's");
            Assert.AreEqual(0, stable[2]);
            Assert.AreEqual(2, fake.Drive.Writes - writesBefore, "the state is written when it changes, not at the third wake");
            Assert.IsTrue(fake.Printed("state restored: outputs show setosa"));
            Assert.IsTrue(fake.Pins.Level[25], "the restored class's pin is driven at the wake");
        }

        private static byte[] WithDeepSleep(byte[] node)
        {
            byte[] bytes = (byte[])node.Clone();
            bytes[20] |= (byte)NodeFormat.FlagDeepSleep;
            uint crc = Crc32.Compute(bytes, NodeFormat.CrcStart, bytes.Length - NodeFormat.CrcStart);
            bytes[12] = (byte)crc;
            bytes[13] = (byte)(crc >> 8);
            bytes[14] = (byte)(crc >> 16);
            bytes[15] = (byte)(crc >> 24);
            return bytes;
        }
    }
}
