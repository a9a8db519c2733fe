using QuantEdge.Node.Hardware;
using QuantEdge.Runtime;

namespace QuantEdge.Simulator;

/// <summary>What happened on the virtual board, and when.</summary>
public enum EventKind
{
    /// <summary>A line on the serial console.</summary>
    Log,

    /// <summary>A GPIO output changed level (Value 1 high, 0 low, −1 released in deep sleep).</summary>
    Pin,

    /// <summary>A PWM output's duty changed (Value in permille).</summary>
    Pwm,

    /// <summary>The chip entered deep sleep for Value ms.</summary>
    Sleep,

    /// <summary>The timer woke the chip: the application restarts from Main.</summary>
    Wake,

    /// <summary>A file on I:\ was written (flash wear).</summary>
    FileWrite,
}

public sealed record SimulationEvent(long TimeMs, EventKind Kind, string Text, int Pin = -1, int Value = 0);

/// <summary>
/// A board in memory for the node's logic: sensors read from a <see cref="SensorTrace"/> at the
/// virtual time, outputs, console, sleeps and file writes recorded as <see cref="SimulationEvent"/>s.
/// Time only moves when the node waits (<see cref="IClock.Delay"/>, deep sleep): the model and the
/// node's own code take no virtual time.
/// </summary>
public sealed class VirtualBoard : IAnalogInputs, IDigitalPins, IPwmOutputs, II2cBus, IClock, IHeap, ILog
{
    private readonly SensorTrace _trace;
    private readonly Func<int, int, int, bool> _i2cBigEndian;
    private readonly Dictionary<int, int> _outputLevels = new();
    private readonly Dictionary<int, int> _pwmDuty = new();
    private readonly List<SimulationEvent> _events = new();

    /// <param name="trace">The sensor readings over time.</param>
    /// <param name="heapBytes">The board's managed heap; <see cref="FreeBytes"/> subtracts the node's and, once the model is read, the model's RAM.</param>
    /// <param name="nodeRamBytes">The node's own objects (host estimate).</param>
    /// <param name="modelRamBytes">The loaded model (host estimate, inspect's device_ram_bytes).</param>
    /// <param name="i2cBigEndian">The byte order the node assembles an I2C register in (bus, address, register).</param>
    public VirtualBoard(SensorTrace trace, int heapBytes, int nodeRamBytes, int modelRamBytes, Func<int, int, int, bool> i2cBigEndian)
    {
        _trace = trace;
        _i2cBigEndian = i2cBigEndian;
        HeapBytes = heapBytes;
        NodeRamBytes = nodeRamBytes;
        ModelRamBytes = modelRamBytes;
        Files = new MemoryStorage(@"I:\", writable: true, this);
        Resources = new MemoryStorage("resource ", writable: false, this);
    }

    public int HeapBytes { get; }

    public int NodeRamBytes { get; }

    public int ModelRamBytes { get; }

    /// <summary>Virtual time, ms since the simulation started.</summary>
    public long Now { get; private set; }

    /// <summary>Set by <see cref="DeepSleep"/>: the application must restart from Main.</summary>
    public bool Restarting { get; private set; }

    /// <summary>The writable file system (<c>I:\</c>).</summary>
    public MemoryStorage Files { get; }

    /// <summary>The application's embedded resources.</summary>
    public MemoryStorage Resources { get; }

    public IReadOnlyList<SimulationEvent> Events => _events;

    /// <summary>The hardware the node gets: every interface is this board.</summary>
    public NodeHardware Hardware => new()
    {
        Analog = this, Pins = this, Pwm = this, I2c = this, Clock = this, Heap = this, Log = this, Files = Files, Resources = Resources,
    };

    /// <summary>What a restart after deep sleep does: the wake is recorded and the application starts over.</summary>
    public void Wake()
    {
        Restarting = false;
        Files.ForgetModel();
        Resources.ForgetModel();
        Record(EventKind.Wake, "wake (timer): the application restarts from Main");
    }

    internal void Record(EventKind kind, string text, int pin = -1, int value = 0) => _events.Add(new SimulationEvent(Now, kind, text, pin, value));

    int IAnalogInputs.Read(int channel) => (int)_trace.At(SensorTrace.AdcColumn(channel), Now);

    void IDigitalPins.OpenInput(int gpio, int pull)
    {
    }

    void IDigitalPins.OpenOutput(int gpio)
    {
    }

    bool IDigitalPins.Read(int gpio) => _trace.At(SensorTrace.GpioColumn(gpio), Now) != 0;

    void IDigitalPins.Write(int gpio, bool high)
    {
        int level = high ? 1 : 0;
        if (!_outputLevels.TryGetValue(gpio, out int old) || old != level)
        {
            _outputLevels[gpio] = level;
            Record(EventKind.Pin, $"GPIO{gpio} = {(high ? "high" : "low")}", gpio, level);
        }
    }

    void IPwmOutputs.Open(int gpio, int frequencyHz) => SetDuty(gpio, 0);

    void IPwmOutputs.SetDuty(int gpio, int permille) => SetDuty(gpio, permille);

    private void SetDuty(int gpio, int permille)
    {
        if (!_pwmDuty.TryGetValue(gpio, out int old) || old != permille)
        {
            _pwmDuty[gpio] = permille;
            Record(EventKind.Pwm, $"GPIO{gpio} PWM duty {permille / 10}.{permille % 10}%", gpio, permille);
        }
    }

    void II2cBus.OpenBus(int bus, int dataGpio, int clockGpio)
    {
    }

    /// <summary>A register the trace has no column for does not answer, as a missing device would not.</summary>
    bool II2cBus.ReadRegister(int bus, int address, int register, byte[] destination)
    {
        string column = SensorTrace.I2cColumn(bus, address, register);
        if (!_trace.Has(column))
        {
            return false;
        }

        long value = _trace.At(column, Now);
        int n = destination.Length;
        bool bigEndian = _i2cBigEndian(bus, address, register);
        for (int k = 0; k < n; k++)
        {
            destination[bigEndian ? n - 1 - k : k] = (byte)(value >> (8 * k));
        }

        return true;
    }

    long IClock.Milliseconds => Now;

    void IClock.Delay(int milliseconds) => Now += milliseconds;

    /// <summary>Records the sleep, releases the outputs (ESP32 deep sleep does not hold GPIO levels), and lets the time pass.</summary>
    void IClock.DeepSleep(int milliseconds)
    {
        Record(EventKind.Sleep, $"deep sleep {milliseconds} ms", value: milliseconds);
        foreach (int gpio in _outputLevels.Keys.Order().ToList())
        {
            Record(EventKind.Pin, $"GPIO{gpio} released (deep sleep)", gpio, -1);
        }

        foreach (int gpio in _pwmDuty.Keys.Order().ToList())
        {
            Record(EventKind.Pwm, $"GPIO{gpio} PWM stopped (deep sleep)", gpio, 0);
        }

        _outputLevels.Clear();
        _pwmDuty.Clear();
        Now += milliseconds;
        Restarting = true;
    }

    int IHeap.FreeBytes() => HeapBytes - NodeRamBytes - (Files.ModelRead || Resources.ModelRead ? ModelRamBytes : 0);

    void ILog.WriteLine(string line) => Record(EventKind.Log, line);
}

/// <summary>Files in memory: the virtual <c>I:\</c> drive, or the application's resources (read-only; names lose their extension).</summary>
public sealed class MemoryStorage(string name, bool writable, VirtualBoard board) : IStorage
{
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    /// <summary>The node has read the model from here (the heap then holds it).</summary>
    public bool ModelRead { get; private set; }

    /// <summary>How many times each file was written (flash wear).</summary>
    public Dictionary<string, int> Writes { get; } = new(StringComparer.Ordinal);

    /// <summary>A restart empties the heap: the model must be read again.</summary>
    public void ForgetModel() => ModelRead = false;

    public void Put(string fileName, byte[] bytes) => _files[Key(fileName)] = bytes;

    public byte[]? Get(string fileName) => _files.GetValueOrDefault(Key(fileName));

    public byte[]? Read(string fileName) => Get(fileName);

    public BlobSource? Open(string fileName)
    {
        byte[]? bytes = Get(fileName);
        ModelRead |= bytes != null && fileName == QuantEdge.Node.NodeApp.ModelFile;
        return bytes == null ? null : new OpenFile(bytes);
    }

    /// <summary>A file opened to be read in pieces: like the firmware's, unreadable once disposed.</summary>
    private sealed class OpenFile(byte[] bytes) : BlobSource, IDisposable
    {
        private readonly ByteArrayBlobSource _bytes = new(bytes);
        private bool _closed;

        public override int Length => _bytes.Length;

        public override int Read(int position, byte[] buffer, int offset, int count) =>
            _closed ? throw new ObjectDisposedException("the model file") : _bytes.Read(position, buffer, offset, count);

        public void Dispose() => _closed = true;
    }

    public void Write(string fileName, byte[] data)
    {
        if (!writable)
        {
            throw new NotSupportedException("resources are read-only");
        }

        _files[Key(fileName)] = (byte[])data.Clone();
        Writes[fileName] = Writes.GetValueOrDefault(fileName) + 1;
        board.Record(EventKind.FileWrite, $"wrote {Name}{fileName} ({data.Length} bytes)");
    }

    private string Key(string fileName) => writable ? fileName : fileName.Split('.')[0];
}
