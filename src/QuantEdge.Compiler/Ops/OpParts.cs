using System.Reflection;

namespace QuantEdge.Compiler.Ops;

/// <summary>
/// Marks a method of a pass as the pass's part for one op. The key is what the pass looks the op up by:
/// the ONNX op type (the importers), the float graph node's type (the device plan), the device step's
/// kind (the lowering) or the host op record's type (the QDQ export). The method itself lives in the op's
/// file, <c>Ops/&lt;Op&gt;.cs</c>, as a member of the pass's partial class.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
internal sealed class ForOpAttribute(object key) : Attribute
{
    public object Key { get; } = key;
}

/// <summary>
/// The parts one pass has for each op, gathered once from its <see cref="ForOpAttribute"/> methods, so that
/// the pass asks for the op's part instead of switching over op types. A key given twice, or of the wrong
/// kind, is a programming error, reported when the pass is first used.
/// </summary>
internal sealed class OpParts<TKey>
    where TKey : notnull
{
    private readonly Dictionary<TKey, MethodInfo> parts;

    public OpParts(Type pass, IEqualityComparer<TKey>? comparer = null)
    {
        parts = new Dictionary<TKey, MethodInfo>(comparer);
        foreach (MethodInfo method in pass.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
        {
            foreach (ForOpAttribute part in method.GetCustomAttributes<ForOpAttribute>())
            {
                if (part.Key is not TKey key)
                {
                    throw new InvalidOperationException($"{pass.Name}.{method.Name}: op key {part.Key} is not a {typeof(TKey).Name}");
                }

                if (!parts.TryAdd(key, method))
                {
                    throw new InvalidOperationException($"{pass.Name}: two parts for op {key} ({parts[key].Name}, {method.Name})");
                }
            }
        }
    }

    /// <summary>Every op this pass has a part for.</summary>
    public IEnumerable<TKey> Keys => parts.Keys;

    /// <summary>Runs the part for <paramref name="key"/> on <paramref name="pass"/>; false when the pass has none.</summary>
    public bool TryRun(object pass, TKey key, object?[] arguments, out object? result)
    {
        if (!parts.TryGetValue(key, out MethodInfo? method))
        {
            result = null;
            return false;
        }

        // What the part throws (an unsupported model, a bad ONNX node) reaches the caller as it is.
        result = method.Invoke(method.IsStatic ? null : pass, BindingFlags.DoNotWrapExceptions, null, arguments, null);
        return true;
    }
}

/// <summary>Parts keyed by a type: a float graph node's or a host op record's.</summary>
internal static class OpPartsByType
{
    /// <summary>
    /// Runs the part registered for the type of <paramref name="op"/> or, failing that, for the nearest of its
    /// base types (every pointwise node shares one plan).
    /// </summary>
    public static bool TryRunFor(this OpParts<Type> parts, object pass, object op, object?[] arguments, out object? result)
    {
        for (Type? type = op.GetType(); type != null; type = type.BaseType)
        {
            if (parts.TryRun(pass, type, arguments, out result))
            {
                return true;
            }
        }

        result = null;
        return false;
    }
}
