namespace QuantEdge.Runtime.Interpreter
{
    /// <summary>
    /// Reads little-endian values from one section of a blob, never past the section's end: every
    /// read is bounds-checked and a violation becomes a <see cref="ModelFormatException"/> with the
    /// section's reason code, so a malformed blob can never cause an IndexOutOfRangeException.
    /// </summary>
    internal sealed class SectionReader
    {
        private readonly byte[] blob;
        private readonly int end;
        private readonly ModelError error;
        private readonly string section;
        private int position;

        public SectionReader(byte[] blob, int start, int end, ModelError error, string section)
        {
            this.blob = blob;
            this.end = end;
            this.error = error;
            this.section = section;
            position = start;
        }

        public int Position
        {
            get { return position; }
        }

        public int Remaining
        {
            get { return end - position; }
        }

        public int ReadInt32()
        {
            Require(4);
            int value = Int32At(blob, position);
            position += 4;
            return value;
        }

        public int ReadUInt16()
        {
            Require(2);
            int value = blob[position] | (blob[position + 1] << 8);
            position += 2;
            return value;
        }

        public int ReadByte()
        {
            Require(1);
            return blob[position++];
        }

        /// <summary>Moves to the next multiple of 4; the padding bytes must be zero.</summary>
        public void AlignTo4()
        {
            while ((position & 3) != 0)
            {
                if (ReadByte() != 0)
                {
                    Fail("nonzero padding");
                }
            }
        }

        /// <summary>The section must be fully consumed.</summary>
        public void ExpectEnd()
        {
            if (position != end)
            {
                Fail("unexpected bytes at its end");
            }
        }

        public void Fail(string detail)
        {
            throw new ModelFormatException(error, section + ": " + detail);
        }

        /// <summary>
        /// The value at an offset the caller has already bounds-checked, stored in <paramref name="width"/> bytes
        /// (1, 2 or 4; little-endian, sign-extended): an i32 array stored as narrow as its values allow.
        /// </summary>
        public static int NarrowAt(byte[] blob, int offset, int width)
        {
            return width == 1 ? (sbyte)blob[offset] : width == 2 ? (short)(blob[offset] | (blob[offset + 1] << 8)) : Int32At(blob, offset);
        }

        /// <summary>The little-endian i32 at an offset the caller has already bounds-checked.</summary>
        public static int Int32At(byte[] blob, int offset)
        {
            return blob[offset] | (blob[offset + 1] << 8) | (blob[offset + 2] << 16) | (blob[offset + 3] << 24);
        }

        private void Require(int count)
        {
            if (end - position < count)
            {
                throw new ModelFormatException(error == ModelError.BadHeader ? ModelError.Truncated : error,
                    section + ": runs past its end");
            }
        }
    }
}
