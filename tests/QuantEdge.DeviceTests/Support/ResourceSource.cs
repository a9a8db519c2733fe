using System;
using System.Resources;
using nanoFramework.Runtime.Native;
using QuantEdge.Runtime;

namespace QuantEdge.DeviceTests.Support
{
    /// <summary>
    /// A binary resource as a <see cref="BlobSource"/>, read in slices with <c>ResourceUtility.GetObject(rm, id, offset, length)</c>,
    /// as the firmware's ResourceStorage reads its model. Each slice is a new array (nanoFramework has no call that reads a
    /// resource into the caller's buffer), copied into the caller's buffer and dropped: a model whose layers stream their
    /// weights from this source allocates one such array per row read in every Invoke. <see cref="Reads"/> counts them.
    /// </summary>
    internal sealed class ResourceSource : BlobSource
    {
        private readonly ResourceManager resources;
        private readonly Enum id;
        private readonly int length;

        public ResourceSource(ResourceManager resources, Enum id, int length)
        {
            this.resources = resources;
            this.id = id;
            this.length = length;
        }

        /// <summary>GetObject calls so far.</summary>
        public int Reads;

        public override int Length
        {
            get { return length; }
        }

        public override int Read(int position, byte[] buffer, int offset, int count)
        {
            int available = length - position < count ? length - position : count;
            if (available <= 0)
            {
                return 0;
            }

            Reads++;
            byte[] piece = (byte[])ResourceUtility.GetObject(resources, id, position, available);
            Array.Copy(piece, 0, buffer, offset, piece.Length);
            return piece.Length;
        }
    }
}
