using QuantEdge.Node.Outputs;
using QuantEdge.Runtime.Format;

namespace QuantEdge.Node
{
    /// <summary>
    /// What must survive the restart from Main that ends every deep sleep: the hysteresis (stable
    /// class, candidate and its count) and which threshold outputs are on, tied to the configuration it
    /// belongs to. Stored as the 28-byte state file of docs/node-format.md, written only when it changes
    /// (flash wear).
    /// </summary>
    public static class NodeState
    {
        public const string FileName = "qe-state.bin";

        /// <summary>"QES1", little-endian.</summary>
        private const int Magic = 0x31534551;
        private const int Length = 28;

        public static byte[] Encode(Hysteresis hysteresis, int thresholdsOn, int configCrc)
        {
            byte[] bytes = new byte[Length];
            Put(bytes, 0, Magic);
            Put(bytes, 4, hysteresis.Stable);
            Put(bytes, 8, hysteresis.Candidate);
            Put(bytes, 12, hysteresis.Count);
            Put(bytes, 16, thresholdsOn);
            Put(bytes, 20, configCrc);
            Put(bytes, 24, (int)Crc32.Compute(bytes, 0, 24));
            return bytes;
        }

        /// <summary>
        /// Restores <paramref name="hysteresis"/> and the threshold outputs that were on from a state file;
        /// false (and both left as they were) when there is none, it is corrupted, it belongs to another
        /// configuration, or it names a class the model does not have.
        /// </summary>
        public static bool TryDecode(byte[] bytes, int configCrc, int classes, Hysteresis hysteresis, ref int thresholdsOn)
        {
            if (bytes == null || bytes.Length != Length || Get(bytes, 0) != Magic || Get(bytes, 20) != configCrc
                || Get(bytes, 24) != (int)Crc32.Compute(bytes, 0, 24))
            {
                return false;
            }

            int stable = Get(bytes, 4), candidate = Get(bytes, 8), count = Get(bytes, 12);
            if (stable < -1 || stable >= classes || candidate < -1 || candidate >= classes || count < 0 || count > 255)
            {
                return false;
            }

            hysteresis.Stable = stable;
            hysteresis.Candidate = candidate;
            hysteresis.Count = count;
            thresholdsOn = Get(bytes, 16);
            return true;
        }

        private static void Put(byte[] bytes, int at, int value)
        {
            bytes[at] = (byte)value;
            bytes[at + 1] = (byte)(value >> 8);
            bytes[at + 2] = (byte)(value >> 16);
            bytes[at + 3] = (byte)(value >> 24);
        }

        private static int Get(byte[] bytes, int at)
        {
            return bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24);
        }
    }
}
