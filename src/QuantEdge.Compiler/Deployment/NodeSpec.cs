namespace QuantEdge.Compiler.Deployment;

/// <summary>How a source's readings are combined into one value per prediction (node.bin input word 7).</summary>
public enum ReadingStatistic
{
    Mean = 0,
    Min = 1,
    Max = 2,
    Range = 3,
}

/// <summary>A digital input's internal resistor (node.bin input word 2).</summary>
public enum PinPull
{
    None = 0,
    Up = 1,
    Down = 2,
}

/// <summary><c>samples</c> readings taken <c>intervalMs</c> apart, combined by <c>statistic</c>.</summary>
public sealed record Sampling(int Samples, int IntervalMs, ReadingStatistic Statistic)
{
    public static readonly Sampling Single = new(1, 0, ReadingStatistic.Mean);
}

/// <summary>Where an input's value comes from; the kinds are node.bin's input word 0.</summary>
public abstract record InputSource
{
    /// <summary>The smallest and largest reading the source can produce, before scaling.</summary>
    public abstract (long Min, long Max) ReadingRange { get; }
}

/// <summary>An ADC channel (nanoFramework's channel number, not a GPIO): raw 12-bit counts.</summary>
public sealed record AdcSource(int Channel, Sampling Sampling) : InputSource
{
    public const int MaxReading = 4095;

    public override (long Min, long Max) ReadingRange => (0, MaxReading);
}

/// <summary>A GPIO read as 0 (low) or 1 (high).</summary>
public sealed record DigitalSource(int Gpio, PinPull Pull, Sampling Sampling) : InputSource
{
    public override (long Min, long Max) ReadingRange => (0, 1);
}

/// <summary>
/// A register of an I2C device: <see cref="Bytes"/> bytes assembled into an integer. <see cref="Sda"/> and
/// <see cref="Scl"/> are the bus's pins when node.json gives them (else the board's).
/// </summary>
public sealed record I2cSource(int Bus, int Address, int Register, int Bytes, bool BigEndian, bool Signed, Sampling Sampling, int? Sda = null, int? Scl = null)
    : InputSource
{
    public override (long Min, long Max) ReadingRange => Signed
        ? (-(1L << (8 * Bytes - 1)), (1L << (8 * Bytes - 1)) - 1)
        : (0, (1L << (8 * Bytes)) - 1);
}

/// <summary>A fixed value of the feature, in its real units.</summary>
public sealed record ConstantSource(double Value) : InputSource
{
    public override (long Min, long Max) ReadingRange => (0, 0);
}

/// <summary>One model input: its source and the reading's scaling to real units (real = reading × Scale + Offset).</summary>
public sealed record NodeInput(string? Feature, InputSource Source, double Scale, double Offset);

/// <summary>
/// A model output (a class) named in node.json: by name (<see cref="Label"/>) or by index (<see cref="Index"/>);
/// exactly one is set.
/// </summary>
public sealed record ClassReference(string? Label, int? Index)
{
    public override string ToString() => Label ?? Index!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// An output pin. Following a <c>class</c> (classifiers): on while that class is the stable prediction, or
/// PWM with the class's score as duty. Following an <c>output</c>'s value (any model): on once the value
/// reaches <see cref="On"/> and off once it falls to <see cref="Off"/>, or PWM with the value mapped from
/// <see cref="From"/> (0%) to <see cref="To"/> (100%), clamped; thresholds and range in the output's units.
/// </summary>
public sealed record NodeOutput(ClassReference Class, int Gpio, bool ActiveLow, int? PwmFrequencyHz)
{
    /// <summary>Follows an output's value (node.json <c>output</c>), not a class decision (<c>class</c>).</summary>
    public bool OfValue { get; init; }

    public double? On { get; init; }

    public double? Off { get; init; }

    public double? From { get; init; }

    public double? To { get; init; }

    public bool IsPwm => PwmFrequencyHz is not null;

    /// <summary>The field that names what this output follows: <c>class</c> or <c>output</c>.</summary>
    public string SourceField => OfValue ? "output" : "class";

    /// <summary>The field that names this output's GPIO, below outputs[i].</summary>
    public string GpioField => IsPwm ? "pwm.gpio" : "gpio";
}

public enum StatusLedChoice
{
    /// <summary>The board's LED (<c>"board"</c>, the default).</summary>
    Board,

    /// <summary>No status LED (<c>null</c>).</summary>
    None,

    /// <summary>A GPIO given in node.json.</summary>
    Gpio,
}

public sealed record StatusLedSpec(StatusLedChoice Choice, int Gpio = -1, bool ActiveLow = false)
{
    public static readonly StatusLedSpec Board = new(StatusLedChoice.Board);

    public static readonly StatusLedSpec None = new(StatusLedChoice.None);
}

/// <summary>
/// A node.json as read (<see cref="NodeSpecReader"/>): every field present, typed and within the ranges
/// docs/node-format.md gives, defaults filled in. Checking it against a board and a model is
/// <see cref="NodePacker"/>'s job.
/// </summary>
public sealed record NodeSpec(
    string File, int SamplePeriodMs, int Hysteresis, bool Wifi, IReadOnlyList<NodeInput> Inputs, IReadOnlyList<NodeOutput> Outputs,
    StatusLedSpec StatusLed, bool Heartbeat, bool DeepSleep);
