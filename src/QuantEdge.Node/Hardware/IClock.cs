namespace QuantEdge.Node.Hardware
{
    /// <summary>Time, waiting, and the ESP32's deep sleep.</summary>
    public interface IClock
    {
        /// <summary>Milliseconds since the application started (it restarts after every deep sleep).</summary>
        long Milliseconds { get; }

        /// <summary>Waits, awake.</summary>
        void Delay(int milliseconds);

        /// <summary>
        /// Enters deep sleep with a timer wake after <paramref name="milliseconds"/>. On the device it
        /// never returns: the chip restarts the application from Main when the timer fires.
        /// </summary>
        void DeepSleep(int milliseconds);
    }
}
