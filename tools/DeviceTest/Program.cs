using QuantEdge.DeviceTest;
using QuantEdge.DeviceTest.Generation;

// The command line behind tools/device-test (see tools/README.md).
//   generate [--check]   write (or only check) the device tests' generated resources
// Exit codes: 0 success, 1 failure (stale files, failed or missing tests), 2 usage or setup error.
const string Usage =
    "usage: DeviceTest generate [--check]\n" +
    "  generate   regenerate the device tests' resources (" + GeneratedFiles.TestsFolder + "/Resources, resx, Designer.cs)\n" +
    "  --check    only report which generated files are stale";

string root = Repository.Root();
switch (args.FirstOrDefault())
{
    case "generate":
        IReadOnlyList<GeneratedFile> files = GeneratedFiles.All(root);
        if (args.Contains("--check"))
        {
            IReadOnlyList<string> stale = GeneratedFiles.Stale(root, files);
            foreach (string path in stale)
            {
                Console.WriteLine("stale: " + path);
            }

            Console.WriteLine($"{stale.Count} of {files.Count} generated files stale");
            return stale.Count == 0 ? 0 : 1;
        }

        IReadOnlyList<string> changed = GeneratedFiles.Write(root, files);
        foreach (string path in changed)
        {
            Console.WriteLine("wrote " + path);
        }

        Console.WriteLine($"{changed.Count} of {files.Count} generated files changed");
        return 0;
    case "-h" or "--help":
        Console.WriteLine(Usage);
        return 0;
    default:
        Console.Error.WriteLine(Usage);
        return 2;
}
