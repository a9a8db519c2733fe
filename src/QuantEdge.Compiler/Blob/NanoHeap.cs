using System.Reflection;
using System.Text;

namespace QuantEdge.Compiler.Blob;

/// <summary>
/// nanoCLR's managed heap, with the size of its heap block as a parameter: 12 bytes on a 32-bit MCU
/// such as the ESP32, 24 on the 64-bit POSIX interpreter CI runs. Element bytes are the same on both,
/// headers, fields and references are not, so a heap measured on one cannot simply be scaled to the
/// other; this model is checked against the interpreter (tools/device-test --bench: probes of known
/// shapes and loaded models) and then evaluated for the ESP32. From nf-interpreter's heap blocks:
/// <list type="bullet">
/// <item>an object: one block of header plus one block per instance field (each field is a block);</item>
/// <item>an array (CLR_RT_HeapBlock_Array): a header of one block plus 8 bytes, then its elements
/// packed, rounded up to whole blocks; an element of a reference type is a block;</item>
/// <item>a string (CLR_RT_HeapBlock_String): one block plus its UTF-8 bytes and a terminating zero, rounded up.</item>
/// </list>
/// </summary>
public static class NanoHeap
{
    /// <summary>Heap block size on a 32-bit MCU (the ESP32).</summary>
    public const int Esp32BlockBytes = 12;

    /// <summary>Heap block size on the 64-bit POSIX nanoCLR.</summary>
    public const int Host64BlockBytes = 24;

    public static int ObjectBytes(int fields, int blockBytes) => blockBytes * (1 + fields);

    /// <summary>An object of <paramref name="type"/> alone (its instance fields, not what they point to).</summary>
    public static int ObjectBytes(Type type, int blockBytes) => ObjectBytes(InstanceFields(type).Length, blockBytes);

    public static int ArrayBytes(long elementBytes, int blockBytes) => RoundUp(blockBytes + 8 + elementBytes, blockBytes);

    public static int ReferenceArrayBytes(int length, int blockBytes) => ArrayBytes((long)length * blockBytes, blockBytes);

    public static int StringBytes(string text, int blockBytes) => RoundUp(blockBytes + Encoding.UTF8.GetByteCount(text) + 1, blockBytes);

    /// <summary>
    /// Heap bytes of everything reachable from <paramref name="root"/> through instance fields and
    /// array elements, each object once: what the object keeps alive on the nanoCLR. The desktop build
    /// of the runtime has the very same classes and fields as the nanoFramework build (one source), so
    /// its object graph stands for the device's.
    /// </summary>
    public static int Reachable(object root, int blockBytes) => Reachable(root, blockBytes, []);

    /// <summary>
    /// As <see cref="Reachable(object, int)"/>, but without <paramref name="excluded"/> and what only they keep
    /// alive (for one part of a larger graph: a node's own objects without its model or its hardware adapters).
    /// </summary>
    public static int Reachable(object root, int blockBytes, IEnumerable<object> excluded)
    {
        var seen = new HashSet<object>(excluded, ReferenceEqualityComparer.Instance);
        var pending = new Stack<object>();
        pending.Push(root);
        long total = 0;
        while (pending.Count > 0)
        {
            object item = pending.Pop();
            if (!seen.Add(item))
            {
                continue;
            }

            switch (item)
            {
                case string text:
                    total += StringBytes(text, blockBytes);
                    break;
                case Array array when array.GetType().GetElementType()!.IsValueType:
                    total += ArrayBytes((long)array.Length * ElementBytes(array.GetType().GetElementType()!), blockBytes);
                    break;
                case Array array:
                    total += ReferenceArrayBytes(array.Length, blockBytes);
                    foreach (object? element in array)
                    {
                        if (element != null) pending.Push(element);
                    }

                    break;
                default:
                    FieldInfo[] fields = InstanceFields(item.GetType());
                    total += ObjectBytes(fields.Length, blockBytes);
                    foreach (FieldInfo field in fields)
                    {
                        if (!field.FieldType.IsValueType && field.GetValue(item) is { } value)
                        {
                            pending.Push(value);
                        }
                    }

                    break;
            }
        }

        return checked((int)total);
    }

    private static FieldInfo[] InstanceFields(Type type)
    {
        var fields = new List<FieldInfo>();
        for (Type? t = type; t != null && t != typeof(object); t = t.BaseType)
        {
            fields.AddRange(t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly));
        }

        if (fields.Any(f => f.FieldType.IsValueType && !f.FieldType.IsPrimitive && !f.FieldType.IsEnum))
        {
            throw new NotSupportedException($"{type.Name} has a struct field; the heap model counts each field as one block");
        }

        return fields.ToArray();
    }

    private static int ElementBytes(Type type) => type.IsEnum ? ElementBytes(Enum.GetUnderlyingType(type)) : type switch
    {
        _ when type == typeof(sbyte) || type == typeof(byte) || type == typeof(bool) => 1,
        _ when type == typeof(short) || type == typeof(ushort) || type == typeof(char) => 2,
        _ when type == typeof(int) || type == typeof(uint) || type == typeof(float) => 4,
        _ when type == typeof(long) || type == typeof(ulong) || type == typeof(double) => 8,
        _ => throw new NotSupportedException($"arrays of {type.Name}"),
    };

    private static int RoundUp(long bytes, int blockBytes) => checked((int)((bytes + blockBytes - 1) / blockBytes * blockBytes));
}
