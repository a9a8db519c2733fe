namespace QuantEdge.Node.Hardware
{
    /// <summary>The board's PWM outputs (LEDC on an ESP32), by GPIO number.</summary>
    public interface IPwmOutputs
    {
        /// <summary>Starts PWM on <paramref name="gpio"/> at <paramref name="frequencyHz"/>, duty 0.</summary>
        void Open(int gpio, int frequencyHz);

        /// <summary>Sets the duty cycle, 0..1000 permille (integer: the node never uses floating point).</summary>
        void SetDuty(int gpio, int permille);
    }
}
