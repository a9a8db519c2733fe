using QuantEdge.Node.Hardware;

namespace QuantEdge.Node.Outputs
{
    /// <summary>
    /// The status LED and its patterns. Errors blink a count the user can read off the board
    /// (README, "Status LED"): 2 = node configuration, 3 = model, 4 = self-test, 5 = a sensor reading.
    /// </summary>
    public sealed class StatusLed
    {
        public const int ConfigurationError = 2;
        public const int ModelError = 3;
        public const int SelfTestFailed = 4;
        public const int SensorError = 5;

        /// <summary>Blink timings (ms): an error blink and the gap between counts, the heartbeat.</summary>
        public const int BlinkMs = 200, PauseMs = 1000, HeartbeatMs = 20;

        private readonly NodeHardware hardware;
        private readonly int gpio;
        private readonly bool activeLow;

        /// <summary>A status LED on <paramref name="gpio"/>, or none when it is −1 (an error count then only waits).</summary>
        public StatusLed(NodeHardware hardware, int gpio, bool activeLow)
        {
            this.hardware = hardware;
            this.gpio = gpio;
            this.activeLow = activeLow;
        }

        public void Open()
        {
            if (gpio >= 0)
            {
                hardware.Pins.OpenOutput(gpio);
                Set(false);
            }
        }

        public void Set(bool on)
        {
            if (gpio >= 0)
            {
                hardware.Pins.Write(gpio, on != activeLow);
            }
        }

        /// <summary>One short blink: a prediction was made.</summary>
        public void Heartbeat()
        {
            if (gpio >= 0)
            {
                Pulse(HeartbeatMs, 0);
            }
        }

        /// <summary>Blinks <paramref name="count"/> times, then stays dark for <see cref="PauseMs"/>.</summary>
        public void BlinkCount(int count)
        {
            for (int i = 0; i < count; i++)
            {
                Pulse(BlinkMs, BlinkMs);
            }

            hardware.Clock.Delay(PauseMs);
        }

        private void Pulse(int onMs, int offMs)
        {
            Set(true);
            hardware.Clock.Delay(onMs);
            Set(false);
            if (offMs > 0)
            {
                hardware.Clock.Delay(offMs);
            }
        }
    }
}
