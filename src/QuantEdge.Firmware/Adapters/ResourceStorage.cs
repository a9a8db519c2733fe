using System;
using nanoFramework.Runtime.Native;
using QuantEdge.Node;
using QuantEdge.Node.Hardware;
using QuantEdge.Runtime;

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
            return name == NodeApp.ConfigFile ? Resources.GetBytes(Resources.BinaryResources.node) : null;
        }

        public BlobSource Open(string name)
        {
            return name == NodeApp.ModelFile ? new ResourceBlob(Resources.ResourceManager, Resources.BinaryResources.model) : null;
        }

        public void Write(string name, byte[] data)
        {
            throw new NotSupportedException("resources are read-only");
        }

        /// <summary>A binary resource read in slices (each <c>GetObject</c> slice is a new array, dropped at once).</summary>
        private sealed class ResourceBlob : BlobSource
        {
            private readonly System.Resources.ResourceManager resources;
            private readonly Enum id;
            private readonly int length;

            public ResourceBlob(System.Resources.ResourceManager resources, Enum id)
            {
                this.resources = resources;
                this.id = id;
                // A resource does not tell its size: take the length the blob's header states (bytes 8..11);
                // a header that claims more than the resource holds ends in a Truncated rejection.
                byte[] field = (byte[])ResourceUtility.GetObject(resources, id, 8, 4);
                length = field[0] | field[1] << 8 | field[2] << 16 | field[3] << 24;
            }

            public override int Length
            {
                get { return length; }
            }

            public override int Read(int position, byte[] buffer, int offset, int count)
            {
                byte[] piece;
                try
                {
                    piece = (byte[])ResourceUtility.GetObject(resources, id, position, count);
                }
                catch (IndexOutOfRangeException)
                {
                    return 0;
                }

                Array.Copy(piece, 0, buffer, offset, piece.Length);
                return piece.Length;
            }
        }
    }
}
