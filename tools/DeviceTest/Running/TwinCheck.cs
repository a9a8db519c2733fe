namespace QuantEdge.DeviceTest.Running;

/// <summary>
/// Each classic .nfproj (what Visual Studio builds) must compile the same source files and embed the
/// same resources as the SDK-style project CI builds and runs, or the two would test different code.
/// </summary>
public static class TwinCheck
{
    public static IEnumerable<string> Problems(string root)
    {
        string[] itemTypes = ["Compile", "EmbeddedResource"];
        foreach ((string nfproj, string sdk) in DeviceProjects.Twins)
        {
            IReadOnlyDictionary<string, IReadOnlyList<string>> classic = DotnetBuild.Items(root, nfproj, itemTypes);
            IReadOnlyDictionary<string, IReadOnlyList<string>> modern = DotnetBuild.Items(root, sdk, itemTypes);
            foreach (string itemType in itemTypes)
            {
                if (!classic[itemType].SequenceEqual(modern[itemType]))
                {
                    string Relative(string p) => Path.GetRelativePath(root, p);
                    string onlyClassic = string.Join(", ", classic[itemType].Except(modern[itemType]).Select(Relative));
                    string onlyModern = string.Join(", ", modern[itemType].Except(classic[itemType]).Select(Relative));
                    yield return $"{nfproj} and {sdk} differ in {itemType} items (only in the .nfproj: [{onlyClassic}]; only in the SDK project: [{onlyModern}])";
                }
            }

            if (classic["Compile"].Count == 0)
            {
                yield return $"{nfproj} compiles no files";
            }
        }
    }
}
