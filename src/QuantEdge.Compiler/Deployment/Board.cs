namespace QuantEdge.Compiler.Deployment;

/// <summary>The ESP32 family members QuantEdge knows; they differ in PWM channels and pin maps.</summary>
public enum Chip
{
    Esp32,
    Esp32S3,
    Esp32C3,
}

/// <summary>A plain GPIO LED. <see cref="ActiveLow"/> null: its polarity is not known.</summary>
public sealed record BoardLed(int Gpio, bool? ActiveLow, bool Verified);

public sealed record BoardButton(string Name, int Gpio);

/// <summary>
/// The pins of one I2C bus as nanoFramework opens it; <see cref="Remap"/> lists the
/// <c>Configuration.SetPinFunction</c> calls needed first when they are not the firmware's default pins.
/// </summary>
public sealed record BoardI2c(int Bus, int Sda, int Scl, IReadOnlyList<string> Remap);

/// <summary>How the battery voltage is read: an ADC channel (with a divider), or another way (<see cref="Via"/>).</summary>
public sealed record BoardBattery(int? AdcChannel, int? Gpio, double? DividerRatio, string? Via);

/// <summary>
/// An ESP32 board as a sensor node sees it (<c>boards/*.json</c>, schema <c>boards/board.schema.json</c>):
/// the firmware target, the managed heap, which GPIOs may be wired and what each can do, the ADC
/// channel map, the LED, buttons, I2C pins and battery sense. Built and checked by <see cref="BoardLoader"/>.
/// </summary>
public sealed record Board
{
    /// <summary>The board's short name: its file name without <c>.json</c> (<c>lolin-d32</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The file it was read from.</summary>
    public required string File { get; init; }

    public required string Name { get; init; }

    public required Chip Chip { get; init; }

    /// <summary>The nanoFramework firmware to flash (<c>nanoff --target</c>).</summary>
    public required string FirmwareTarget { get; init; }

    /// <summary>Managed heap free to the application, bytes.</summary>
    public required int HeapBytes { get; init; }

    /// <summary>True when <see cref="HeapBytes"/> is derived from the firmware's reserve rules, not measured.</summary>
    public required bool HeapEstimated { get; init; }

    /// <summary>GPIOs a node may wire, ascending.</summary>
    public required IReadOnlyList<int> Gpios { get; init; }

    /// <summary>GPIOs without an output driver.</summary>
    public required IReadOnlySet<int> InputOnlyGpios { get; init; }

    /// <summary>GPIOs without internal pull resistors.</summary>
    public required IReadOnlySet<int> NoPullGpios { get; init; }

    /// <summary>Strapping pins (their level at reset selects boot modes).</summary>
    public required IReadOnlySet<int> StrappingGpios { get; init; }

    /// <summary>GPIOs that can wake the chip from deep sleep (RTC GPIOs).</summary>
    public required IReadOnlySet<int> DeepSleepWakeGpios { get; init; }

    /// <summary>LEDC PWM channels: at most this many PWM outputs.</summary>
    public required int PwmChannels { get; init; }

    public required IReadOnlySet<int> PwmGpios { get; init; }

    /// <summary>nanoFramework ADC channel → GPIO.</summary>
    public required IReadOnlyDictionary<int, int> Adc { get; init; }

    /// <summary>The ADC channels on ADC2, which do not work while Wi-Fi runs.</summary>
    public required IReadOnlySet<int> Adc2Channels { get; init; }

    public required BoardLed? Led { get; init; }

    public required IReadOnlyList<BoardButton> Buttons { get; init; }

    public required BoardI2c? I2c { get; init; }

    public required BoardBattery? Battery { get; init; }

    /// <summary>The number of PWM (LEDC) channels each chip has (nanoframework-facts §1.5).</summary>
    public static int PwmChannelsOf(Chip chip) => chip switch
    {
        Chip.Esp32 => 16,
        Chip.Esp32S3 => 8,
        _ => 6,
    };

    public bool HasGpio(int gpio) => Gpios.Contains(gpio);

    public bool CanOutput(int gpio) => HasGpio(gpio) && !InputOnlyGpios.Contains(gpio);

    /// <summary>The ADC channel numbers, ascending, as a message lists them.</summary>
    public string AdcChannelList => string.Join(", ", Adc.Keys.Order());
}
