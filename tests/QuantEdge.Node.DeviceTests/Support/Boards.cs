using QuantEdge.Firmware;
using QuantEdge.Node.Hardware;

namespace QuantEdge.Node.DeviceTests.Support
{
    /// <summary>The firmware's adapters where the interpreter has the natives, fakes where it has not.</summary>
    internal static class Boards
    {
        /// <summary>
        /// The firmware's embedded resources, its I:\ storage (the interpreter has no drive, so the node falls
        /// back to the resources exactly as a board without deployed files does), its heap and console; the
        /// fake for ADC, GPIO, PWM and the clock. With <paramref name="writableFiles"/> the fake is the drive.
        /// </summary>
        public static NodeHardware Hardware(FakeBoard fake, bool writableFiles)
        {
            NodeHardware hardware = new NodeHardware();
            hardware.Analog = fake;
            hardware.Pins = fake.Pins;
            hardware.Pwm = fake;
            hardware.Clock = fake;
            hardware.Log = fake;
            hardware.Heap = new ManagedHeap();
            hardware.Files = writableFiles ? (IStorage)fake.Drive : new DriveStorage();
            hardware.Resources = new ResourceStorage();
            return hardware;
        }

        /// <summary>ADC counts for the sample node's four channels (0, 3, 4, 5): the iris features in cm / 0.002.</summary>
        public static void Flower(FakeBoard fake, int sepalLength, int sepalWidth, int petalLength, int petalWidth)
        {
            fake.Adc[0] = sepalLength;
            fake.Adc[3] = sepalWidth;
            fake.Adc[4] = petalLength;
            fake.Adc[5] = petalWidth;
        }
    }
}
