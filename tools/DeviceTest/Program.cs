using QuantEdge.DeviceTest;
using QuantEdge.DeviceTest.Generation;
using QuantEdge.DeviceTest.Running;

// The command line behind tools/device-test (see tools/README.md).
// Exit codes: 0 success, 1 failure (failed or missing tests, stale files), 2 usage or setup error.
const string Usage =
    "usage: DeviceTest generate [--check]\n" +
    "       DeviceTest test --kit KIT\n" +
    "       DeviceTest bench --kit KIT\n" +
    "  generate   regenerate the device tests' resources (" + GeneratedFiles.TestsFolder + "/Resources, resx, Designer.cs);\n" +
    "             --check only reports which generated files are stale\n" +
    "  test       build, convert and run the device tests on the kit's nanoCLR; ends with \"N passed, M failed\"\n" +
    "  bench      measure kernels and models on the nanoCLR and write the device section of docs/benchmarks.md\n" +
    "  KIT        the nanoFramework toolchain kit (../shared/nanoframework)\n" +
    "environment: QUANTEDGE_DEVICE_TEST_TIMEOUT  seconds one nanoCLR run may take (default 300)";

string? command = args.FirstOrDefault();
if (command is null or "-h" or "--help")
{
    Console.WriteLine(Usage);
    return command == null ? 2 : 0;
}

try
{
    string root = Repository.Root();
    switch (command)
    {
        case "generate":
            return Generate(root, args.Contains("--check"));
        case "test" or "bench":
            int at = Array.IndexOf(args, "--kit");
            if (at < 0 || at + 1 >= args.Length)
            {
                Console.Error.WriteLine(Usage);
                return 2;
            }

            var kit = new Kit(args[at + 1]);
            IReadOnlyList<string> missing = kit.Missing();
            if (missing.Count > 0)
            {
                Console.Error.WriteLine("device-test: the kit at " + kit.Folder + " is incomplete; missing: " + string.Join(", ", missing));
                return 2;
            }

            TimeSpan timeout = TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("QUANTEDGE_DEVICE_TEST_TIMEOUT"), out int s) ? s : 300);
            return command == "test" ? TestCommand.Run(root, kit, timeout) : QuantEdge.DeviceTest.Bench.BenchCommand.Run(root, kit, timeout);
        default:
            Console.Error.WriteLine(Usage);
            return 2;
    }
}
catch (DeviceTestException e)
{
    Console.Error.WriteLine("device-test: " + e.Message);
    return 2;
}

static int Generate(string root, bool check)
{
    IReadOnlyList<GeneratedFile> files = GeneratedFiles.All(root);
    if (check)
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
}
