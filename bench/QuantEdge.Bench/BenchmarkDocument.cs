namespace QuantEdge.Bench;

/// <summary>
/// docs/benchmarks.md has three generated parts: the host benchmarks (this program), then the device sections
/// tools/device-test writes from measurements on the nanoCLR (they need the nanoFramework kit): the stock
/// interpreter's (--bench) and, last, the native kernels' (--bench --native). Each command rewrites its own part
/// and keeps the others as they are.
/// </summary>
internal static class BenchmarkDocument
{
    public const string DeviceHeading = "## Device (nanoCLR interpreter)";

    public const string NativeHeading = "## Native kernels (nanoCLR built with QuantEdge.Runtime.Interop)";

    /// <summary>The device sections of <paramref name="markdown"/> (the first one's heading to the end), or null when it has none.</summary>
    public static string? DeviceSection(string markdown)
    {
        int device = Start(markdown, DeviceHeading), native = Start(markdown, NativeHeading);
        int start = device < 0 ? native : native < 0 ? device : Math.Min(device, native);
        return start < 0 ? null : markdown[start..];
    }

    /// <summary>
    /// <paramref name="markdown"/> with its stock interpreter's section replaced by <paramref name="section"/> (or the
    /// device sections, when the markdown has none yet, appended); a native kernels' section stays after it.
    /// </summary>
    public static string WithDeviceSection(string markdown, string section)
    {
        int start = Start(markdown, DeviceHeading);
        int native = Start(markdown, NativeHeading);
        if (start < 0)
        {
            return native < 0 ? Join(markdown, section) : Join(markdown[..native], section) + "\n" + markdown[native..].TrimEnd('\n') + "\n";
        }

        string after = native > start ? "\n" + markdown[native..].TrimEnd('\n') + "\n" : "";
        return Join(markdown[..start], section) + after;
    }

    /// <summary><paramref name="markdown"/> with its native kernels' section (the last) replaced by <paramref name="section"/>, or followed by it.</summary>
    public static string WithNativeSection(string markdown, string section)
    {
        int start = Start(markdown, NativeHeading);
        return Join(start < 0 ? markdown : markdown[..start], section);
    }

    private static string Join(string before, string section) => before.TrimEnd('\n') + "\n\n" + section.TrimEnd('\n') + "\n";

    private static int Start(string markdown, string heading)
    {
        if (markdown.StartsWith(heading + "\n", StringComparison.Ordinal))
        {
            return 0;
        }

        int at = markdown.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        return at < 0 ? -1 : at + 1;
    }
}
