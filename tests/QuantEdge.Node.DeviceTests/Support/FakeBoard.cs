using System.Collections;
using QuantEdge.Node.Hardware;
using QuantEdge.Runtime;

namespace QuantEdge.Node.DeviceTests.Support
{
    /// <summary>
    /// The hardware the interpreter lacks, in memory: ADC readings set by the test, GPIO and PWM outputs
    /// recorded, a clock that moves only when the node waits, deep sleep recorded (it returns, where a
    /// chip would restart), a writable drive. The console is the firmware's own ConsoleLog, wrapped so the
    /// test can read what was printed. (Separate classes, not explicit interface implementations on one:
    /// those crashed this interpreter.)
    /// </summary>
    internal sealed class FakeBoard : IAnalogInputs, IPwmOutputs, IClock, ILog
    {
        public readonly int[] Adc = new int[64];
        public readonly int[] Duty = new int[64];
        public readonly FakePins Pins = new FakePins();
        public readonly FakeDrive Drive = new FakeDrive();
        public readonly ArrayList Lines = new ArrayList();
        public long Now;
        public int DeepSleeps;
        private readonly ILog console;

        public FakeBoard(ILog console)
        {
            this.console = console;
        }

        public int Read(int channel)
        {
            return Adc[channel];
        }

        public void Open(int gpio, int frequencyHz)
        {
        }

        public void SetDuty(int gpio, int permille)
        {
            Duty[gpio] = permille;
        }

        public long Milliseconds
        {
            get { return Now; }
        }

        public void Delay(int milliseconds)
        {
            Now += milliseconds;
        }

        public void DeepSleep(int milliseconds)
        {
            DeepSleeps++;
            Now += milliseconds;
        }

        public void WriteLine(string line)
        {
            Lines.Add(line);
            console.WriteLine(line);
        }

        /// <summary>Whether some printed line contains <paramref name="text"/>.</summary>
        public bool Printed(string text)
        {
            for (int i = 0; i < Lines.Count; i++)
            {
                if (((string)Lines[i]).IndexOf(text) >= 0)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>GPIO levels and which pins were opened as outputs.</summary>
    internal sealed class FakePins : IDigitalPins
    {
        public readonly bool[] Level = new bool[64];
        public readonly bool[] IsOutput = new bool[64];

        public void OpenInput(int gpio, int pull)
        {
        }

        public void OpenOutput(int gpio)
        {
            IsOutput[gpio] = true;
        }

        public bool Read(int gpio)
        {
            return Level[gpio];
        }

        public void Write(int gpio, bool high)
        {
            Level[gpio] = high;
        }
    }

    /// <summary>
    /// A writable drive of small files, counting writes (flash wear). (ArrayLists, not a string[]: this
    /// interpreter fills a new string[] with empty strings, not nulls, and comparing one crashed it.)
    /// </summary>
    internal sealed class FakeDrive : IStorage
    {
        public int Writes;
        private readonly ArrayList names = new ArrayList();
        private readonly ArrayList files = new ArrayList();

        public string Name
        {
            get { return "fake:\\"; }
        }

        public byte[] Read(string name)
        {
            int slot = names.IndexOf(name);
            return slot < 0 ? null : (byte[])files[slot];
        }

        public BlobSource Open(string name)
        {
            byte[] file = Read(name);
            return file == null ? null : new ByteArrayBlobSource(file);
        }

        public void Write(string name, byte[] data)
        {
            int slot = names.IndexOf(name);
            if (slot < 0)
            {
                names.Add(name);
                files.Add(data);
            }
            else
            {
                files[slot] = data;
            }

            Writes++;
        }
    }
}
