namespace QuantEdge.Node.Hardware
{
    /// <summary>The board's GPIO pins, by GPIO number.</summary>
    public interface IDigitalPins
    {
        /// <summary>Opens <paramref name="gpio"/> as an input with a pull resistor (<see cref="Pull"/>).</summary>
        void OpenInput(int gpio, int pull);

        /// <summary>Opens <paramref name="gpio"/> as a push-pull output.</summary>
        void OpenOutput(int gpio);

        /// <summary>The level of an input: true when high.</summary>
        bool Read(int gpio);

        /// <summary>Drives an output high or low.</summary>
        void Write(int gpio, bool high);
    }

    /// <summary>Pull resistor of a digital input (the numbers are node.bin's).</summary>
    public static class Pull
    {
        public const int None = 0;
        public const int Up = 1;
        public const int Down = 2;
    }
}
