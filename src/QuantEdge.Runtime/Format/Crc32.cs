namespace QuantEdge.Runtime.Format
{
    /// <summary>
    /// CRC-32 as in IEEE 802.3 / zlib (reflected polynomial 0xEDB88320, initial value and final xor
    /// 0xFFFFFFFF). Bitwise, without a table: it runs once per load, and 1 KB of table would cost
    /// more RAM than the time it saves is worth on the device.
    /// </summary>
    public static class Crc32
    {
        /// <summary>The CRC-32 of bytes [offset, offset + count).</summary>
        public static uint Compute(byte[] data, int offset, int count)
        {
            uint crc = 0xFFFFFFFFu;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                crc ^= data[i];
                for (int bit = 0; bit < 8; bit++)
                {
                    crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
                }
            }

            return ~crc;
        }
    }
}
