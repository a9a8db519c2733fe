using nanoFramework.TestFramework;
using QuantEdge.Firmware;
using QuantEdge.Node.DeviceTests.Support;
using QuantEdge.Node.Hardware;
using QuantEdge.Runtime;

namespace QuantEdge.Node.DeviceTests
{
    /// <summary>
    /// The firmware's boot path on the interpreter: the node configuration and the model from the
    /// application's embedded resources (no I:\ here), the model read in pieces, the self-test, the boot
    /// line, then predictions from fake ADC readings driving the class pins.
    /// </summary>
    [TestClass]
    public class FirmwareBootTests
    {
        // Three flowers as the sample node reads them: ADC counts = cm / 0.002 (a setosa-, a versicolor- and a virginica-like one).
        private static readonly int[][] Flowers =
        {
            new int[] { 2550, 1750, 700, 100 },
            new int[] { 2950, 1400, 2100, 650 },
            new int[] { 3150, 1400, 2500, 950 },
        };

        [TestMethod]
        public void BootsFromTheEmbeddedResources()
        {
            FakeBoard fake = new FakeBoard(new ConsoleLog());
            NodeApp app = new NodeApp(Boards.Hardware(fake, false));

            Assert.IsTrue(app.Boot(), "boot failed with blink count " + app.Error.ToString());

            Assert.AreEqual(0, app.Error);
            Assert.IsTrue(fake.Printed("QuantEdge node: model 'iris-mlp' from resource model.qem, 4 inputs, 3 classes (setosa, versicolor, virginica), model RAM "));
            Assert.IsTrue(fake.Printed("self-test passed"));
            Assert.IsTrue(fake.Printed("node: resource node.bin, every 1000 ms, hysteresis 2, inputs f0=ADC 0 x8 mean"));
            Assert.IsTrue(fake.Pins.IsOutput[23] && fake.Pins.IsOutput[25] && fake.Pins.IsOutput[26] && fake.Pins.IsOutput[27], "status LED and class pins opened");
        }

        /// <summary>
        /// The heap a booted node keeps, measured here (24-byte heap blocks): the model's share as its boot
        /// line reports it, and the node's own objects, which tests/QuantEdge.Node.Tests/NodeRamTests.cs sets
        /// against the host's heap model. The console is silent so that no kept line is counted.
        /// </summary>
        [TestMethod]
        public void MeasuresTheHeapTheNodeKeeps()
        {
            // One boot first, so that what the interpreter sets up once (resource tables, type data) is not counted.
            Assert.IsTrue(new NodeApp(Boards.Hardware(new FakeBoard(new SilentLog()), false)).Boot());
            FakeBoard fake = new FakeBoard(new SilentLog());
            NodeHardware hardware = Boards.Hardware(fake, false);
            ModelRamProbe probe = new ModelRamProbe(hardware.Heap);
            hardware.Heap = probe;
            nanoFramework.Runtime.Native.GC.Run(false);
            uint freeBefore = nanoFramework.Runtime.Native.GC.Run(false);
            held = new NodeApp(hardware);
            Assert.IsTrue(held.Boot());
            nanoFramework.Runtime.Native.GC.Run(false);
            uint freeAfter = nanoFramework.Runtime.Native.GC.Run(false);
            held = null;

            int total = (int)(freeBefore - freeAfter);
            OutputHelper.WriteLine("heap kept by the booted sample node: " + total.ToString() + " B, of which the model " + probe.ModelBytes.ToString()
                + " B and the node's own objects " + (total - probe.ModelBytes).ToString() + " B (24-byte heap blocks)");
            Assert.IsTrue(probe.ModelBytes > 0 && total > probe.ModelBytes);
        }

        // A static field keeps the measured node alive across the collections (a local may not, on the interpreter).
        private static NodeApp held;

        private sealed class SilentLog : ILog
        {
            public void WriteLine(string line)
            {
            }
        }

        /// <summary>The heap adapter, remembering the drop between its first two readings: the node reads it just before and after loading the model.</summary>
        private sealed class ModelRamProbe : IHeap
        {
            private readonly IHeap heap;
            private int calls, first;

            public ModelRamProbe(IHeap heap)
            {
                this.heap = heap;
            }

            public int ModelBytes;

            public int FreeBytes()
            {
                int free = heap.FreeBytes();
                if (++calls == 1)
                {
                    first = free;
                }
                else if (calls == 2)
                {
                    ModelBytes = first - free;
                }

                return free;
            }
        }

        [TestMethod]
        public void PredictsWhatTheModelPredictsAndLightsThatClassesPin()
        {
            FakeBoard fake = new FakeBoard(new ConsoleLog());
            NodeApp app = new NodeApp(Boards.Hardware(fake, false));
            Assert.IsTrue(app.Boot());
            Model reference = Model.Load(new ResourceStorage().Open(NodeApp.ModelFile));

            for (int f = 0; f < Flowers.Length; f++)
            {
                int[] counts = Flowers[f];
                Boards.Flower(fake, counts[0], counts[1], counts[2], counts[3]);
                for (int k = 0; k < 4; k++)
                {
                    reference.SetRawInput(k, app.Config.Inputs[k].Scale(counts[k]));
                }

                reference.Invoke();
                int expected = reference.ArgMax();

                // Hysteresis 2: the second prediction of the same flower moves the outputs.
                app.Sleep(app.Cycle());
                app.Cycle();

                Assert.AreEqual(expected, app.LastPrediction, "flower " + f.ToString());
                Assert.AreEqual(expected, app.Hysteresis.Stable, "flower " + f.ToString());
                for (int o = 0; o < app.Config.Outputs.Length; o++)
                {
                    Assert.AreEqual(app.Config.Outputs[o].Output == expected, fake.Pins.Level[app.Config.Outputs[o].Gpio],
                        "flower " + f.ToString() + ", GPIO" + app.Config.Outputs[o].Gpio.ToString());
                }
            }

            Assert.IsTrue(fake.Printed("-> setosa"), "the three flowers are three classes");
            Assert.IsTrue(fake.Printed("-> versicolor"), "the three flowers are three classes");
            Assert.IsTrue(fake.Printed("-> virginica"), "the three flowers are three classes");
        }
    }
}
