using System;
using nanoFramework.Runtime.Native;

namespace QuantEdge.DeviceTests.Support
{
    /// <summary>
    /// Reads a "QED1" data file (README.md) from a binary resource: the header first, then one
    /// record at a time through ResourceUtility's slice read, so a test never holds the whole file.
    /// </summary>
    internal sealed class DataFile
    {
        private readonly Resources.BinaryResources id;
        private readonly string[] fieldNames;
        private readonly string[] arrayNames;
        private readonly string[] recordNames;
        private readonly int[] offsets;
        private readonly int[] lengths;

        private DataFile(Resources.BinaryResources id, byte[] header)
        {
            this.id = id;
            int at = 8;
            fieldNames = ReadNames(header, ref at);
            arrayNames = ReadNames(header, ref at);
            int count = LittleEndian.Int32(header, at);
            at += 4;
            recordNames = new string[count];
            offsets = new int[count];
            lengths = new int[count];
            for (int i = 0; i < count; i++)
            {
                recordNames[i] = ReadName(header, ref at);
                offsets[i] = LittleEndian.Int32(header, at);
                lengths[i] = LittleEndian.Int32(header, at + 4);
                at += 8;
            }
        }

        /// <summary>Reads the header of the data file in resource <paramref name="id"/>.</summary>
        public static DataFile Open(Resources.BinaryResources id)
        {
            byte[] start = Slice(id, 0, 8);
            if (start.Length != 8 || start[0] != 'Q' || start[1] != 'E' || start[2] != 'D' || start[3] != '1')
            {
                throw new InvalidOperationException("resource " + ((int)id).ToString() + " is not a QED1 data file");
            }

            return new DataFile(id, Slice(id, 0, LittleEndian.Int32(start, 4)));
        }

        public int Count
        {
            get { return recordNames.Length; }
        }

        public string Name(int index)
        {
            return recordNames[index];
        }

        /// <summary>Index of the record called <paramref name="name"/>; throws when there is none.</summary>
        public int IndexOf(string name)
        {
            for (int i = 0; i < recordNames.Length; i++)
            {
                if (recordNames[i] == name)
                {
                    return i;
                }
            }

            throw new InvalidOperationException("no record '" + name + "'");
        }

        /// <summary>Record <paramref name="index"/>, read from the resource on its own.</summary>
        public DataRecord Read(int index)
        {
            byte[] bytes = Slice(id, offsets[index], lengths[index]);
            if (bytes.Length != lengths[index])
            {
                throw new InvalidOperationException("record " + recordNames[index] + " is truncated");
            }

            return new DataRecord(recordNames[index], fieldNames, arrayNames, bytes);
        }

        /// <summary>Bytes [offset, offset + length) of a binary resource, without reading the rest (a new array per call).</summary>
        private static byte[] Slice(Resources.BinaryResources id, int offset, int length)
        {
            return (byte[])ResourceUtility.GetObject(Resources.ResourceManager, id, offset, length);
        }

        private static string[] ReadNames(byte[] data, ref int at)
        {
            string[] names = new string[data[at++]];
            for (int i = 0; i < names.Length; i++)
            {
                names[i] = ReadName(data, ref at);
            }

            return names;
        }

        private static string ReadName(byte[] data, ref int at)
        {
            int length = data[at++];
            char[] chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                chars[i] = (char)data[at + i];
            }

            at += length;
            return new string(chars);
        }
    }

    /// <summary>One record of a <see cref="DataFile"/>: named int32 fields and named int8 or int32 arrays.</summary>
    internal sealed class DataRecord
    {
        private readonly string[] fieldNames;
        private readonly string[] arrayNames;
        private readonly byte[] bytes;
        private readonly int[] arrayStarts;

        public DataRecord(string name, string[] fieldNames, string[] arrayNames, byte[] bytes)
        {
            Name = name;
            this.fieldNames = fieldNames;
            this.arrayNames = arrayNames;
            this.bytes = bytes;
            arrayStarts = new int[arrayNames.Length];
            int at = 4 * fieldNames.Length;
            for (int i = 0; i < arrayNames.Length; i++)
            {
                arrayStarts[i] = at;
                at += 5 + bytes[at] * LittleEndian.Int32(bytes, at + 1);
            }

            if (at != bytes.Length)
            {
                throw new InvalidOperationException("record " + name + ": arrays end at " + at.ToString() + " of " + bytes.Length.ToString());
            }
        }

        public string Name { get; }

        public int Field(string name)
        {
            return LittleEndian.Int32(bytes, 4 * Find(fieldNames, name));
        }

        public sbyte[] SBytes(string name)
        {
            int at = Array(name, 1);
            sbyte[] values = new sbyte[LittleEndian.Int32(bytes, at + 1)];
            for (int i = 0, k = at + 5; i < values.Length; i++, k++)
            {
                values[i] = (sbyte)bytes[k];
            }

            return values;
        }

        public int[] Ints(string name)
        {
            int at = Array(name, 4);
            int[] values = new int[LittleEndian.Int32(bytes, at + 1)];
            for (int i = 0, k = at + 5; i < values.Length; i++, k += 4)
            {
                values[i] = LittleEndian.Int32(bytes, k);
            }

            return values;
        }

        private int Array(string name, int elementBytes)
        {
            int at = arrayStarts[Find(arrayNames, name)];
            if (bytes[at] != elementBytes)
            {
                throw new InvalidOperationException(Name + "." + name + " has " + bytes[at].ToString() + "-byte elements");
            }

            return at;
        }

        private int Find(string[] names, string name)
        {
            for (int i = 0; i < names.Length; i++)
            {
                if (names[i] == name)
                {
                    return i;
                }
            }

            throw new InvalidOperationException(Name + " has no '" + name + "'");
        }
    }

    internal static class LittleEndian
    {
        public static int Int32(byte[] data, int at)
        {
            return data[at] | (data[at + 1] << 8) | (data[at + 2] << 16) | (data[at + 3] << 24);
        }
    }
}
