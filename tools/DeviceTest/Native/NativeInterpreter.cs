using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using QuantEdge.DeviceTest.Running;

namespace QuantEdge.DeviceTest.Native;

/// <summary>
/// tools/build-native-nanoclr: a nanoCLR with QuantEdge.Runtime.Interop's native methods, built by the kit's
/// build-nanoclr.sh from the checked-in stubs and bodies (src/QuantEdge.Native/interop) and the C kernels
/// (src/QuantEdge.Native/kernels, found through QE_NATIVE_KERNELS by the FindINTEROP module). Writes
/// OUT/bin/nanoFramework.nanoCLR.test (+ OUT/lib/, keep them together) and OUT/QuantEdge.Runtime.Interop.pe,
/// the assembly the stubs were generated from. The stubs are checked against the assembly first: a firmware is
/// never built from stale ones. A build whose inputs (the kit's script and interpreter sources, the stubs,
/// bodies and kernels) have not changed since the last one in OUT is reused.
/// </summary>
public static class NativeInterpreter
{
    public const string DefaultFolder = "artifacts/native-nanoclr";

    private const string InputsFile = ".quantedge-inputs";

    public static string Binary(string folder) => Path.Combine(folder, "bin", "nanoFramework.nanoCLR.test");

    /// <summary>Builds (or reuses) the interpreter in <paramref name="folder"/>; returns its binary.</summary>
    public static string Build(string root, Kit kit, string folder)
    {
        folder = Path.GetFullPath(folder);
        var clock = Stopwatch.StartNew();
        GeneratedStubs stubs = NativeStubs.Generate(root, kit);
        IReadOnlyList<string> problems = NativeStubs.Problems(root, stubs);
        if (problems.Count > 0)
        {
            throw new DeviceTestException("the interop stubs are stale (run tools/native-stubs, then rebuild):\n  " + string.Join("\n  ", problems));
        }

        Directory.CreateDirectory(folder);
        File.Copy(stubs.Pe, Path.Combine(folder, NativeStubs.Assembly + ".pe"), overwrite: true);
        string inputs = InputsHash(root, kit);
        string recorded = Path.Combine(folder, InputsFile);
        if (File.Exists(Binary(folder)) && File.Exists(recorded) && File.ReadAllText(recorded) == inputs)
        {
            Console.WriteLine($"native-nanoclr: {Path.GetRelativePath(root, Binary(folder))} is up to date (checksum {stubs.Checksum})");
            return Binary(folder);
        }

        File.Delete(recorded);
        Console.WriteLine($"native-nanoclr: building {Path.GetRelativePath(root, folder)} with {NativeStubs.Assembly} (checksum {stubs.Checksum}); about 2 minutes from scratch");
        var environment = new Dictionary<string, string> { ["QE_NATIVE_KERNELS"] = Path.Combine(root, NativeStubs.KernelsFolder) };
        ProcessResult build = ProcessRunner.Run("bash", [kit.BuildScript, folder, Path.Combine(root, NativeStubs.Folder)], TimeSpan.FromMinutes(30), root, environment);
        if (build.ExitCode != 0 || !File.Exists(Binary(folder)))
        {
            throw new DeviceTestException($"build-nanoclr.sh failed (exit {build.ExitCode}; its log: {Path.Combine(folder, ".build.log")}):\n{build.Output}");
        }

        File.WriteAllText(recorded, inputs);
        Console.WriteLine($"native-nanoclr: built {Path.GetRelativePath(root, Binary(folder))} in {clock.Elapsed.TotalSeconds:F0} s");
        return Binary(folder);
    }

    /// <summary>A hash of everything the build reads: the kit's script and interpreter sources, the stubs, bodies and kernels.</summary>
    public static string InputsHash(string root, Kit kit)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string folder, string file)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(folder, file).Replace('\\', '/') + "\n"));
            hash.AppendData(File.ReadAllBytes(file));
        }

        Add(kit.Folder, kit.BuildScript);
        foreach (string folder in new[] { kit.InterpreterSources, Path.Combine(root, NativeStubs.Folder), Path.Combine(root, NativeStubs.KernelsFolder) })
        {
            foreach (string file in Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                Add(folder, file);
            }
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
