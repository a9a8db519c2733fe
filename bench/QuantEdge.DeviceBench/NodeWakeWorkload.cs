using System;
using QuantEdge.Firmware;
using QuantEdge.Node;
using QuantEdge.Node.DeviceTests.Support;
using QuantEdge.Node.Hardware;

namespace QuantEdge.DeviceBench
{
    /// <summary>
    /// What a battery node computes at each wake, past nanoFramework's own boot: the firmware's sample node
    /// (its node.bin and iris model, here on a fake drive) boots — configuration, model loaded in pieces,
    /// self-test, pins — and runs one cycle. The sensors are the node device tests' fakes, whose waits take
    /// no time, so this is the compute alone; the configured sampling waits come on top.
    /// </summary>
    internal sealed class NodeWakeWorkload : Workload
    {
        private readonly byte[] model;
        private readonly byte[] node;

        public NodeWakeWorkload(byte[] model, byte[] node)
            : base("NodeWake", "wake", 1)
        {
            this.model = model;
            this.node = node;
        }

        public override void Run()
        {
            FakeBoard fake = new FakeBoard(new SilentLog());
            fake.Drive.Write(NodeApp.ModelFile, model);
            fake.Drive.Write(NodeApp.ConfigFile, node);
            fake.Adc[0] = 2550;
            fake.Adc[3] = 1750;
            fake.Adc[4] = 700;
            fake.Adc[5] = 100;
            NodeHardware hardware = new NodeHardware();
            hardware.Analog = fake;
            hardware.Pins = fake.Pins;
            hardware.Pwm = fake;
            hardware.Clock = fake;
            hardware.Log = fake;
            hardware.Heap = new ManagedHeap();
            hardware.Files = fake.Drive;
            NodeApp app = new NodeApp(hardware);
            if (!app.Boot())
            {
                throw new InvalidOperationException("the sample node did not boot: blink count " + app.Error.ToString());
            }

            app.Cycle();
        }

        /// <summary>The bench's output is machine-read: the node's console lines stay out of it.</summary>
        private sealed class SilentLog : ILog
        {
            public void WriteLine(string line)
            {
            }
        }
    }
}
