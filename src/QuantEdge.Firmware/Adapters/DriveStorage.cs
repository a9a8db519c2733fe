using System;
using System.IO;
using QuantEdge.Node.Hardware;
using QuantEdge.Runtime;

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

        public BlobSource Open(string name)
        {
            string path = Name + name;
            return File.Exists(path) ? new FileBlob(File.OpenRead(path)) : null;
        }

        public void Write(string name, byte[] data)
        {
            File.WriteAllBytes(Name + name, data);
        }

        /// <summary>An open file read in pieces; closed when the node has loaded the model.</summary>
        private sealed class FileBlob : BlobSource, IDisposable
        {
            private readonly FileStream file;

            public FileBlob(FileStream file)
            {
                this.file = file;
            }

            public override int Length
            {
                get { return (int)file.Length; }
            }

            public override int Read(int position, byte[] buffer, int offset, int count)
            {
                file.Seek(position, SeekOrigin.Begin);
                return file.Read(buffer, offset, count);
            }

            public void Dispose()
            {
                file.Dispose();
            }
        }
    }
}
