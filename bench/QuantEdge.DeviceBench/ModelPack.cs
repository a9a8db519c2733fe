namespace QuantEdge.DeviceBench
{
    /// <summary>
    /// Models packed in one resource by tools/DeviceTest generate (its SklearnModels): an int32 count, then per model
    /// an int32 name length, the name in ASCII, an int32 blob length and the blob; integers little-endian.
    /// </summary>
    internal static class ModelPack
    {
        public static void Read(byte[] pack, out string[] names, out byte[][] blobs)
        {
            int at = 0;
            int count = Int32(pack, ref at);
            names = new string[count];
            blobs = new byte[count][];
            for (int m = 0; m < count; m++)
            {
                char[] name = new char[Int32(pack, ref at)];
                for (int i = 0; i < name.Length; i++)
                {
                    name[i] = (char)pack[at + i];
                }

                at += name.Length;
                names[m] = new string(name);
                blobs[m] = new byte[Int32(pack, ref at)];
                System.Array.Copy(pack, at, blobs[m], 0, blobs[m].Length);
                at += blobs[m].Length;
            }
        }

        private static int Int32(byte[] bytes, ref int at)
        {
            int value = bytes[at] | bytes[at + 1] << 8 | bytes[at + 2] << 16 | bytes[at + 3] << 24;
            at += 4;
            return value;
        }
    }
}
