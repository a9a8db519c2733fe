using QuantEdge.NfCheck;

// The command line of tools/nfcheck. Exit codes: 0 clean, 1 violations, 2 usage or setup error.
const string Usage =
    "usage: NfCheck <device assembly.dll> --mscorlib <nanoFramework mscorlib.dll> [--root Namespace.Type::Method]... [--no-model-root]\n" +
    "               [--device-reference NAME]... [--native-reference NAME]... [--interop] [--il] [--disasm]\n" +
    "  --root    allocation root replacing " + Checks.ModelRoot + " (repeatable); kernels' public static Eval are always roots\n" +
    "  --no-model-root     no " + Checks.ModelRoot + " root (a device assembly other than the runtime)\n" +
    "  --device-reference  a device assembly (checked on its own) that may be referenced besides mscorlib (repeatable)\n" +
    "  --native-reference  an interop assembly (checked on its own with --interop) that may be referenced, and called\n" +
    "                      on allocation-free paths: its methods are native (repeatable)\n" +
    "  --interop an interop assembly: also holds it to one public static class of static extern methods\n" +
    "  --il      also print the IL cost of the innermost loops in " + Checks.KernelNamespace + "\n" +
    "  --disasm  with --il, also print each of those loops disassembled";

string? assemblyPath = null;
string? mscorlibPath = null;
List<string> roots = new();
List<string> deviceReferences = new();
List<string> nativeReferences = new();
bool interop = false;
bool noModelRoot = false;
bool il = false;
bool disasm = false;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--mscorlib" when i + 1 < args.Length:
            mscorlibPath = args[++i];
            break;
        case "--root" when i + 1 < args.Length && args[i + 1].Contains("::", StringComparison.Ordinal):
            roots.Add(args[++i]);
            break;
        case "--no-model-root":
            noModelRoot = true;
            break;
        case "--device-reference" when i + 1 < args.Length:
            deviceReferences.Add(args[++i]);
            break;
        case "--native-reference" when i + 1 < args.Length:
            nativeReferences.Add(args[++i]);
            break;
        case "--interop":
            interop = true;
            break;
        case "--il":
            il = true;
            break;
        case "--disasm":
            il = disasm = true;
            break;
        case "-h" or "--help":
            Console.WriteLine(Usage);
            return 0;
        case var path when !path.StartsWith('-') && assemblyPath == null:
            assemblyPath = path;
            break;
        default:
            Console.Error.WriteLine($"nfcheck: unexpected argument '{args[i]}'\n{Usage}");
            return 2;
    }
}

if (assemblyPath == null || mscorlibPath == null)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

try
{
    NanoCorlib corlib = NanoCorlib.Load(mscorlibPath);
    using ModuleImage module = ModuleImage.Open(assemblyPath);
    CheckResult result = Checks.Run(module, corlib, noModelRoot ? [] : roots.Count > 0 ? roots : null, deviceReferences, nativeReferences);
    if (interop)
    {
        result = result with { Violations = [.. result.Violations, .. Checks.InteropShape(module)] };
    }

    foreach (Violation violation in result.Violations)
    {
        Console.WriteLine(violation);
    }

    Console.WriteLine($"nfcheck: {result.Violations.Count} violation(s) in {module.AssemblyName} against nanoFramework mscorlib {corlib.Version} " +
        $"({result.Types} types, {result.Methods} methods" +
        (result.Roots.Count == 0 ? ")" : $"; {result.ReachableMethods} methods reachable from the roots {string.Join(", ", result.Roots)})"));
    if (il)
    {
        List<LoopCost> loops = LoopReport.KernelLoops(module);
        Console.WriteLine();
        Console.Write(LoopReport.Table(loops));
        if (disasm)
        {
            foreach (LoopCost loop in loops)
            {
                Console.WriteLine();
                Console.Write(LoopReport.Listing(module, loop));
            }
        }
    }

    return result.Violations.Count == 0 ? 0 : 1;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException or InvalidDataException)
{
    Console.Error.WriteLine("nfcheck: " + e.Message);
    return 2;
}
