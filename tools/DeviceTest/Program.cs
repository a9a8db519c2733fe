using QuantEdge.DeviceTest;
using QuantEdge.DeviceTest.Generation;
using QuantEdge.DeviceTest.Native;
using QuantEdge.DeviceTest.Running;

// The command line behind tools/device-test (see tools/README.md).
// Exit codes: 0 success, 1 failure (failed or missing tests, stale files), 2 usage or setup error.
const string Usage =
    "usage: DeviceTest generate [--check]\n" +
    "       DeviceTest test --kit KIT [--native [DIR]]\n" +
    "       DeviceTest bench --kit KIT [--native [DIR]]\n" +
    "       DeviceTest stubs --kit KIT [--check]\n" +
    "       DeviceTest build-native --kit KIT [--out DIR]\n" +
    "  generate   regenerate the device tests' resources (" + GeneratedFiles.TestsFolder + "/Resources, resx, Designer.cs);\n" +
    "             --check only reports which generated files are stale\n" +
    "  test       build, convert and run the device tests on the kit's nanoCLR; ends with \"N passed, M failed\"\n" +
    "  bench      measure kernels and models on the nanoCLR and write the device section of docs/benchmarks.md\n" +
    "  --native   on a nanoCLR built with the native kernels (DIR, default " + NativeInterpreter.DefaultFolder + ", built or reused\n" +
    "             first): test also runs the native device tests, bench also the native kernels and the same C on the host\n" +
    "  stubs      regenerate the interop stubs in " + NativeStubs.Folder + " from QuantEdge.Runtime.Interop; --check only compares\n" +
    "  build-native  build (or reuse) a nanoCLR with the native kernels in DIR (default " + NativeInterpreter.DefaultFolder + ")\n" +
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
        case "test" or "bench" or "stubs" or "build-native":
            string? kitFolder = Option("--kit");
            if (kitFolder == null)
            {
                Console.Error.WriteLine(Usage);
                return 2;
            }

            var kit = new Kit(kitFolder);
            IReadOnlyList<string> missing = kit.Missing();
            if (missing.Count > 0)
            {
                Console.Error.WriteLine("device-test: the kit at " + kit.Folder + " is incomplete; missing: " + string.Join(", ", missing));
                return 2;
            }

            if (command == "stubs")
            {
                return Stubs(root, kit, args.Contains("--check"));
            }

            if (command == "build-native")
            {
                NativeInterpreter.Build(root, kit, Option("--out") ?? Path.Combine(root, NativeInterpreter.DefaultFolder));
                return 0;
            }

            Kit? native = null;
            if (args.Contains("--native"))
            {
                string? folder = Option("--native");
                folder = folder == null || folder.StartsWith("--", StringComparison.Ordinal) ? Path.Combine(root, NativeInterpreter.DefaultFolder) : folder;
                native = kit.WithInterpreter(NativeInterpreter.Build(root, kit, folder));
            }

            TimeSpan timeout = TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("QUANTEDGE_DEVICE_TEST_TIMEOUT"), out int s) ? s : 300);
            return command == "test" ? TestCommand.Run(root, native ?? kit, timeout, native != null)
                : QuantEdge.DeviceTest.Bench.BenchCommand.Run(root, native ?? kit, timeout, native != null);
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

// The value after an option, or null.
string? Option(string name)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}

static int Stubs(string root, Kit kit, bool check)
{
    GeneratedStubs stubs = NativeStubs.Generate(root, kit);
    Console.WriteLine($"native stubs: {NativeStubs.Assembly} gives checksum {stubs.Checksum}");
    if (!check)
    {
        foreach (string path in NativeStubs.Write(root, stubs))
        {
            Console.WriteLine("wrote " + path);
        }
    }

    IReadOnlyList<string> problems = NativeStubs.Problems(root, stubs);
    foreach (string problem in problems)
    {
        Console.WriteLine("stale: " + problem);
    }

    Console.WriteLine(problems.Count == 0 ? $"the stubs in {NativeStubs.Folder} match the assembly" : $"{problems.Count} problem(s)");
    return problems.Count == 0 ? 0 : 1;
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
