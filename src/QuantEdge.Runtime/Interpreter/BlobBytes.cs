using QuantEdge.Runtime.Format;

namespace QuantEdge.Runtime.Interpreter
{
    /// <summary>
    /// Where the loader gets a blob's bytes. A blob in memory is simply there: header, sections and data
    /// are read straight from the array. A <see cref="BlobSource"/> is read twice, never more than one
    /// chunk per request:
    /// 1. <see cref="VerifyChecksum"/> streams the blob through the chunk buffer and keeps the CRC register
    ///    at the start of the data section and at each chunk boundary in it (4 bytes per chunk).
    /// 2. The load pass reads the sections before the data section into one array (<see cref="ReadHead"/>)
    ///    and the data section one chunk at a time, as the ops ask for it (<see cref="Fetch"/>). Every piece
    ///    it reads must take the register from the value kept at the piece's start to the value kept at its
    ///    end.
    /// So the model is built from the very bytes the checksum covered (as surely as CRC-32 tells two byte
    /// strings apart): a source whose bytes change between the passes, or between two reads of a chunk, is
    /// rejected as <see cref="ModelError.ChecksumMismatch"/>, never loaded as a model nobody checked.
    /// </summary>
    internal sealed class BlobBytes
    {
        private readonly BlobSource source;
        private readonly int length;
        private readonly int chunk;
        private byte[] header;
        private byte[] bytes;
        private int first;
        private int end;
        private int dataStart;
        private uint[] registers;
        private BlobSource inMemory;

        /// <summary>A blob in memory: every byte is held, nothing is read or copied.</summary>
        public BlobBytes(byte[] blob)
        {
            length = blob.Length;
            header = blob;
            bytes = blob;
            end = length;
        }

        /// <summary>
        /// A blob read from <paramref name="source"/>, whose length was asked once (<paramref name="length"/>).
        /// <paramref name="chunk"/> is a positive multiple of 4: chunks then start 4-aligned in the data
        /// section, so no stored i16 or i32 straddles two of them.
        /// </summary>
        public BlobBytes(BlobSource source, int length, int chunk)
        {
            this.source = source;
            this.length = length;
            this.chunk = chunk;
        }

        /// <summary>The blob's length: the array's, or what the source said.</summary>
        public int Length
        {
            get { return length; }
        }

        /// <summary>The array in which <see cref="Fetch"/> makes bytes readable: the blob, or the chunk buffer.</summary>
        public byte[] Bytes
        {
            get { return bytes; }
        }

        /// <summary>
        /// Where <see cref="Kernels.WeightLayout.Streamed"/> layers read their weights during Invoke: the source
        /// the blob is loaded from, or the blob in memory as a <see cref="ByteArrayBlobSource"/> (one for all layers).
        /// </summary>
        public BlobSource WeightSource()
        {
            if (source != null)
            {
                return source;
            }

            if (inMemory == null)
            {
                inMemory = new ByteArrayBlobSource(bytes);
            }

            return inMemory;
        }

        /// <summary>The 64-byte header, as the array that holds it at offset 0.</summary>
        public byte[] ReadHeader()
        {
            if (source != null)
            {
                header = new byte[BlobFormat.HeaderLength];
                Read(0, header, 0, BlobFormat.HeaderLength);
            }

            return header;
        }

        /// <summary>Checks the CRC-32 of bytes [16, <see cref="Length"/>) against the header's.</summary>
        public void VerifyChecksum(uint crc)
        {
            uint register = source == null
                ? Crc32.Update(Crc32.Initial, bytes, BlobFormat.CrcStart, length - BlobFormat.CrcStart)
                : StreamChecksum();
            if (~register != crc)
            {
                throw new ModelFormatException(ModelError.ChecksumMismatch, "the blob is corrupted");
            }
        }

        /// <summary>
        /// Bytes [0, <paramref name="dataOffset"/>): the sections before the data section. From a source they
        /// are read again into one array (the header as the checksum pass read it) and checked.
        /// </summary>
        public byte[] ReadHead(int dataOffset)
        {
            if (source == null)
            {
                return bytes;
            }

            byte[] head = new byte[dataOffset];
            System.Array.Copy(header, 0, head, 0, BlobFormat.HeaderLength);
            Read(BlobFormat.HeaderLength, head, BlobFormat.HeaderLength, dataOffset - BlobFormat.HeaderLength);
            Check(Crc32.Update(Crc32.Initial, head, BlobFormat.CrcStart, dataOffset - BlobFormat.CrcStart), 0, BlobFormat.HeaderLength);
            return head;
        }

        /// <summary>
        /// Makes the byte at blob position <paramref name="position"/> (in the data section) readable as
        /// <c>Bytes[index]</c>, and returns how many of the <paramref name="wanted"/> bytes from there on are
        /// readable after it: all of them in memory, those up to the end of the chunk from a source.
        /// </summary>
        public int Fetch(int position, int wanted, out int index)
        {
            if (position < first || position >= end)
            {
                ReadChunk((position - dataStart) / chunk);
            }

            index = position - first;
            int held = end - position;
            return wanted < held ? wanted : held;
        }

        /// <summary>
        /// The checksum pass. It keeps registers where the load pass will start and end its reads: at the
        /// data offset and at every chunk boundary after it. The data offset is not validated yet; one
        /// outside the blob fails the header checks right after this pass, before anything is read again.
        /// </summary>
        private uint StreamChecksum()
        {
            int data = SectionReader.Int32At(header, BlobFormat.DataAt);
            dataStart = data >= BlobFormat.HeaderLength && data <= length ? data : length;
            bytes = new byte[chunk < length ? chunk : length];
            registers = new uint[8];
            uint register = Crc32.Update(Crc32.Initial, header, BlobFormat.CrcStart, BlobFormat.HeaderLength - BlobFormat.CrcStart);
            int position = BlobFormat.HeaderLength;
            int kept = 0;
            while (true)
            {
                if (position >= dataStart)
                {
                    Keep(kept++, register);
                }

                if (position == length)
                {
                    return register;
                }

                int limit = position < dataStart ? dataStart : length;
                int count = limit - position < chunk ? limit - position : chunk;
                Read(position, bytes, 0, count);
                register = Crc32.Update(register, bytes, 0, count);
                position += count;
            }
        }

        /// <summary>
        /// Keeps the register of boundary <paramref name="index"/> (0: the data offset, then one per chunk),
        /// growing the table as bytes arrive rather than sizing it from the length the source claims: a
        /// source that says 2 GB but has 2 KB costs 2 KB's worth.
        /// </summary>
        private void Keep(int index, uint register)
        {
            if (index == registers.Length)
            {
                uint[] larger = new uint[2 * index];
                System.Array.Copy(registers, 0, larger, 0, index);
                registers = larger;
            }

            registers[index] = register;
        }

        /// <summary>Reads chunk <paramref name="index"/> of the data section into the chunk buffer and checks it.</summary>
        private void ReadChunk(int index)
        {
            first = dataStart + index * chunk;
            int count = length - first < chunk ? length - first : chunk;
            end = first;
            Read(first, bytes, 0, count);
            Check(Crc32.Update(registers[index], bytes, 0, count), index + 1, first);
            end = first + count;
        }

        /// <summary>A piece read again, from blob position <paramref name="from"/>, must end in the register kept for its end.</summary>
        private void Check(uint register, int kept, int from)
        {
            if (register != registers[kept])
            {
                throw new ModelFormatException(ModelError.ChecksumMismatch,
                    "the source changed while it was read: bytes read again from " + from.ToString() + " differ from those the checksum covered");
            }
        }

        /// <summary>Fills buffer[offset, offset + count) from blob position <paramref name="position"/> on, one chunk per request at most.</summary>
        private void Read(int position, byte[] buffer, int offset, int count)
        {
            while (count > 0)
            {
                int asked = count < chunk ? count : chunk;
                int got = source.Read(position, buffer, offset, asked);
                if (got == 0)
                {
                    throw new ModelFormatException(ModelError.Truncated,
                        "the source has no byte " + position.ToString() + " of the " + length.ToString() + " it says it holds");
                }

                if (got < 0 || got > asked)
                {
                    throw new System.InvalidOperationException("BlobSource.Read returned " + got.ToString() + " for a read of " + asked.ToString() + " bytes");
                }

                position += got;
                offset += got;
                count -= got;
            }
        }
    }
}
