namespace QuantEdge.DeviceTest;

/// <summary>The repository this tool works on: the folder holding QuantEdge.sln, found upwards from a start folder.</summary>
public static class Repository
{
    public static string Root(string? start = null)
    {
        foreach (string first in new[] { start ?? Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(first); folder != null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "QuantEdge.sln")))
                {
                    return folder.FullName;
                }
            }
        }

        throw new InvalidOperationException("no QuantEdge.sln above the current folder or the tool's: run inside the repository");
    }
}
