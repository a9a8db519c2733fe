using System;
using nanoFramework.TestFramework;
using QuantEdge.DeviceTests.Support;
using QuantEdge.Runtime;
using QuantEdge.Runtime.Format;

namespace QuantEdge.DeviceTests
{
    /// <summary>
    /// Model.Load on corrupted blobs, on the device: bit flips, truncations, byte and word overwrites,
    /// appended and moved bytes, from a deterministic generator. Every blob must either load and run
    /// (Invoke and SelfTest without an exception) or be rejected with a ModelFormatException, never
    /// anything else. Most mutations get their length field and CRC repaired, so they reach the checks
    /// behind the checksum; the spread of rejection reasons shows they did.
    /// </summary>
    [TestClass]
    public class CorruptBlobTests
    {
        private const int MutationsPerModel = 600;

        [TestMethod]
        [DataRow("DemoMlp", 1)]
        [DataRow("EveryOpInt8Rows", 2)]
        [DataRow("EveryOpInt64Pairs", 3)]
        [DataRow("SmallCnnInt64Pairs", 4)]
        [DataRow("SensorMlp", 5)]
        public void LoadThrowsOnlyModelFormatException(string name, int seed)
        {
            byte[] original = Resources.GetBytes(TestModel.Blob(name));
            DevicePrng random = new DevicePrng((uint)seed * 2654435761u);
            bool[] reasons = new bool[32];
            int loaded = 0, rejected = 0;
            Failures failures = new Failures();
            for (int i = 0; i < MutationsPerModel; i++)
            {
                string how;
                byte[] blob = Mutate(original, random, out how);
                try
                {
                    Model model = Model.Load(blob);
                    model.Invoke();
                    model.SelfTest();
                    loaded++;
                }
                catch (ModelFormatException e)
                {
                    rejected++;
                    reasons[(int)e.Reason & 31] = true;
                }
                catch (Exception e)
                {
                    failures.Add("mutation " + i.ToString() + " (" + how + "): " + e.GetType().FullName + ": " + e.Message);
                }
            }

            failures.AssertNone(MutationsPerModel, name + " mutations");
            int distinct = 0;
            for (int r = 0; r < reasons.Length; r++)
            {
                if (reasons[r]) distinct++;
            }

            OutputHelper.WriteLine(name + ": " + loaded.ToString() + " loaded, " + rejected.ToString() + " rejected for " + distinct.ToString() + " different reasons");
            // Mutations that all died at the checksum would prove little.
            Assert.IsTrue(distinct >= 4, name + ": only " + distinct.ToString() + " rejection reasons seen");
        }

        private static byte[] Mutate(byte[] original, DevicePrng random, out string how)
        {
            byte[] blob = (byte[])original.Clone();
            switch (random.Next(6))
            {
                case 0:
                    int flips = 1 + random.Next(4);
                    for (int k = 0; k < flips; k++)
                    {
                        blob[random.Next(blob.Length)] ^= (byte)(1 << random.Next(8));
                    }

                    how = flips.ToString() + " bit flips";
                    break;
                case 1:
                    int at = random.Next(blob.Length / 4) * 4;
                    int value = Word(blob, at, random);
                    WriteInt32(blob, at, value);
                    how = "word at " + at.ToString() + " = " + value.ToString();
                    break;
                case 2:
                    int length = random.Next(blob.Length);
                    byte[] truncated = new byte[length];
                    Array.Copy(blob, truncated, length);
                    blob = truncated;
                    how = "truncated to " + length.ToString();
                    break;
                case 3:
                    int extra = 1 + random.Next(64);
                    byte[] longer = new byte[blob.Length + extra];
                    Array.Copy(blob, longer, blob.Length);
                    for (int k = blob.Length; k < longer.Length; k++)
                    {
                        longer[k] = (byte)random.Next(256);
                    }

                    blob = longer;
                    how = extra.ToString() + " bytes appended";
                    break;
                case 4:
                    int start = random.Next(blob.Length);
                    int count = 1 + random.Next(32);
                    if (count > blob.Length - start) count = blob.Length - start;
                    for (int k = start; k < start + count; k++)
                    {
                        blob[k] = (byte)random.Next(256);
                    }

                    how = count.ToString() + " random bytes at " + start.ToString();
                    break;
                default:
                    int from = random.Next(blob.Length - 8), to = random.Next(blob.Length - 8);
                    Array.Copy(original, from, blob, to, 8);
                    how = "8 bytes copied from " + from.ToString() + " to " + to.ToString();
                    break;
            }

            // Seven in eight get a consistent length and checksum, so they reach the checks behind the CRC.
            if (random.Next(8) != 0 && blob.Length >= BlobFormat.HeaderLength)
            {
                WriteInt32(blob, BlobFormat.BlobLengthAt, blob.Length);
                WriteInt32(blob, BlobFormat.CrcAt, (int)Crc32.Compute(blob, BlobFormat.CrcStart, blob.Length - BlobFormat.CrcStart));
                how += ", CRC repaired";
            }

            return blob;
        }

        /// <summary>A value likely to break a rule: extremes, small numbers, the old value nudged, a power of two, anything.</summary>
        private static int Word(byte[] blob, int at, DevicePrng random)
        {
            switch (random.Next(8))
            {
                case 0: return 0;
                case 1: return -1;
                case 2: return int.MaxValue;
                case 3: return int.MinValue;
                case 4: return random.Next(600) - 300;
                case 5: return LittleEndian.Int32(blob, at) + random.Next(7) - 3;
                case 6: return 1 << random.Next(31);
                default: return (int)random.NextUInt();
            }
        }

        private static void WriteInt32(byte[] blob, int at, int value)
        {
            blob[at] = (byte)value;
            blob[at + 1] = (byte)(value >> 8);
            blob[at + 2] = (byte)(value >> 16);
            blob[at + 3] = (byte)(value >> 24);
        }
    }
}
