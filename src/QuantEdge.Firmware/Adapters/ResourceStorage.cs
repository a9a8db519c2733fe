using System;
using QuantEdge.Node;
using QuantEdge.Node.Hardware;

namespace QuantEdge.Firmware
{
    /// <summary>
    /// The model and node configuration built into this application (Resources.resx: the binary
    /// resources "model" and "node"; replace them with <c>quantedge export MODEL.qem --resx
    /// src/QuantEdge.Firmware --node node.bin</c> and rebuild).
    /// </summary>
    public sealed class ResourceStorage : IStorage
    {
        public string Name
        {
            get { return "resource "; }
        }

        public byte[] Read(string name)
        {
            if (name == NodeApp.ModelFile)
            {
                return Resources.GetBytes(Resources.BinaryResources.model);
            }

            return name == NodeApp.ConfigFile ? Resources.GetBytes(Resources.BinaryResources.node) : null;
        }

        public void Write(string name, byte[] data)
        {
            throw new NotSupportedException("resources are read-only");
        }
    }
}
