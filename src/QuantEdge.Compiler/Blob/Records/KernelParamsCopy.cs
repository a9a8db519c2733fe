using System.Reflection;

namespace QuantEdge.Compiler.Blob;

/// <summary>
/// A copy of a device kernel's parameter block (<c>AddParams</c>, <c>MulParams</c>: classes of public fields, which the
/// device fills in at load). A host op record keeps its own copy and hands out copies, so that a record, once made,
/// cannot be changed through its parameters.
/// </summary>
internal static class KernelParamsCopy
{
    public static T Of<T>(T source)
        where T : class, new()
    {
        var copy = new T();
        foreach (FieldInfo field in typeof(T).GetFields(BindingFlags.Instance | BindingFlags.Public))
        {
            field.SetValue(copy, field.GetValue(source));
        }

        return copy;
    }
}
