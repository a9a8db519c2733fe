using System;
using System.Threading;
using QuantEdge.Node.Hardware;
using Esp32Sleep = nanoFramework.Hardware.Esp32.Sleep;

namespace QuantEdge.Firmware
{
    /// <summary>Time since boot, waiting, and the ESP32's deep sleep with a timer wake.</summary>
    public sealed class Esp32Clock : IClock
    {
        public long Milliseconds
        {
            get { return Environment.TickCount64; }
        }

        public void Delay(int milliseconds)
        {
            Thread.Sleep(milliseconds);
        }

        /// <summary>Never returns: the chip restarts the application from Main when the timer fires.</summary>
        public void DeepSleep(int milliseconds)
        {
            Esp32Sleep.EnableWakeupByTimer(TimeSpan.FromMilliseconds(milliseconds));
            Esp32Sleep.StartDeepSleep();
        }
    }
}
