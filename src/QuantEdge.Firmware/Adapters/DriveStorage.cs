using System.IO;
using QuantEdge.Node.Hardware;

namespace QuantEdge.Firmware
{
    /// <summary>
    /// Files on the ESP32's internal LittleFS drive I:\ (deployed with nanoff's file deployment, see
    /// tools/flash.sh): the model and node configuration a user swaps without rebuilding the app, and
    /// the node's state across deep sleeps.
    /// </summary>
    public sealed class DriveStorage : IStorage
    {
        public string Name
        {
            get { return "I:\\"; }
        }

        public byte[] Read(string name)
        {
            string path = Name + name;
            return File.Exists(path) ? File.ReadAllBytes(path) : null;
        }

        public void Write(string name, byte[] data)
        {
            File.WriteAllBytes(Name + name, data);
        }
    }
}
