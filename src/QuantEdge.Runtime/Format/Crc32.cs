namespace QuantEdge.Runtime.Format
{
    /// <summary>
    /// CRC-32 as in IEEE 802.3 / zlib (reflected polynomial 0xEDB88320, initial value and final xor
    /// 0xFFFFFFFF). Bitwise, without a table: it runs once per load, and 1 KB of table would cost
    /// more RAM than the time it saves is worth on the device.
    /// </summary>
    public static class Crc32
    {
        /// <summary>The register before any byte: a CRC computed piece by piece starts here.</summary>
        internal const uint Initial = 0xFFFFFFFFu;

        /// <summary>The CRC-32 of bytes [offset, offset + count).</summary>
        public static uint Compute(byte[] data, int offset, int count)
        {
            return ~Update(Initial, data, offset, count);
        }

        /// <summary>
        /// The register after feeding bytes [offset, offset + count) to <paramref name="register"/>. Feeding
        /// a blob piece by piece from <see cref="Initial"/> ends in the same register as feeding it at once;
        /// the CRC is that register's complement.
        /// </summary>
        internal static uint Update(uint register, byte[] data, int offset, int count)
        {
            uint crc = register;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                crc ^= data[i];
                for (int bit = 0; bit < 8; bit++)
                {
                    crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
                }
            }

            return crc;
        }
    }
}
