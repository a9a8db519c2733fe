namespace QuantEdge.DeviceTest.Running;

/// <summary>
/// Each classic .nfproj (what Visual Studio builds) must compile the same source files and embed the
/// same resources as the SDK-style project CI builds and runs, or the two would test different code.
/// </summary>
public static class TwinCheck
{
    public static IEnumerable<string> Problems(string root)
    {
        foreach ((string nfproj, string sdk) in DeviceProjects.Twins)
        {
            foreach (string itemType in new[] { "Compile", "EmbeddedResource" })
            {
                IReadOnlyList<string> classic = DotnetBuild.Items(root, nfproj, itemType);
                IReadOnlyList<string> modern = DotnetBuild.Items(root, sdk, itemType);
                if (!classic.SequenceEqual(modern))
                {
                    string Relative(string p) => Path.GetRelativePath(root, p);
                    string onlyClassic = string.Join(", ", classic.Except(modern).Select(Relative));
                    string onlyModern = string.Join(", ", modern.Except(classic).Select(Relative));
                    yield return $"{nfproj} and {sdk} differ in {itemType} items (only in the .nfproj: [{onlyClassic}]; only in the SDK project: [{onlyModern}])";
                }
                else if (itemType == "Compile" && classic.Count == 0)
                {
                    yield return $"{nfproj} compiles no files";
                }
            }
        }
    }
}
