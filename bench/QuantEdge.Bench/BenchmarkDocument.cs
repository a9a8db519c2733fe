namespace QuantEdge.Bench;

/// <summary>
/// docs/benchmarks.md has two generated parts: the host benchmarks (this program) and, last, the
/// device section that tools/device-test --bench writes from measurements on the nanoCLR (it needs
/// the nanoFramework kit). Each command rewrites its own part and keeps the other as it is.
/// </summary>
internal static class BenchmarkDocument
{
    public const string DeviceHeading = "## Device (nanoCLR interpreter)";

    /// <summary>The device section of <paramref name="markdown"/> (its heading to the end), or null when it has none.</summary>
    public static string? DeviceSection(string markdown)
    {
        int start = Start(markdown);
        return start < 0 ? null : markdown[start..];
    }

    /// <summary><paramref name="markdown"/> with its device section replaced by <paramref name="section"/>, or followed by it.</summary>
    public static string WithDeviceSection(string markdown, string section)
    {
        int start = Start(markdown);
        string before = (start < 0 ? markdown : markdown[..start]).TrimEnd('\n');
        return before + "\n\n" + section.TrimEnd('\n') + "\n";
    }

    private static int Start(string markdown)
    {
        if (markdown.StartsWith(DeviceHeading + "\n", StringComparison.Ordinal))
        {
            return 0;
        }

        int at = markdown.IndexOf("\n" + DeviceHeading + "\n", StringComparison.Ordinal);
        return at < 0 ? -1 : at + 1;
    }
}
