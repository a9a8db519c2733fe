using System.Text.Json;
using System.Text.RegularExpressions;

namespace QuantEdge.Cli.Tests;

/// <summary>
/// tools/esp32-firmware against a stand-in nf-interpreter checkout and a fake container engine (no ESP32 toolchain
/// or container runs here): what it copies into the checkout, the build command it runs, the image and the record of
/// what the image must match that it leaves, and bad input as one line with exit 2.
/// </summary>
public sealed class Esp32FirmwareScriptTests : IDisposable
{
    private static readonly string Interop = Path.Combine(Repository.Root, "src", "QuantEdge.Native", "interop");
    private static readonly string Kernels = Path.Combine(Repository.Root, "src", "QuantEdge.Native", "kernels");

    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>The folders tools/esp32-firmware takes for an nf-interpreter checkout, and the user-prefs template.</summary>
    private string Checkout()
    {
        string nf = folder.File("nf-interpreter");
        Directory.CreateDirectory(Path.Combine(nf, "CMake", "Modules"));
        Directory.CreateDirectory(Path.Combine(nf, "src", "CLR"));
        Directory.CreateDirectory(Path.Combine(nf, "config"));
        File.WriteAllText(Path.Combine(nf, "config", "user-prefs.TEMPLATE.json"), "{ \"version\": 4 }");
        return nf;
    }

    private static JsonElement Options() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "firmware", "esp32", "firmware.json"))).RootElement;

    [Fact]
    public void TheOptionsBuildTheInteropAssemblyOfTheStubs()
    {
        JsonElement options = Options();
        string assembly = options.GetProperty("interopAssembly").GetString()!;
        Assert.Equal(assembly, options.GetProperty("cacheVariables").GetProperty("NF_INTEROP_ASSEMBLIES").GetString());
        Assert.True(File.Exists(Path.Combine(Interop, $"FindINTEROP-{assembly}.cmake")));
        Assert.Contains($"\"{assembly}\"", File.ReadAllText(Path.Combine(Interop, assembly.Replace('.', '_') + ".cpp")));
    }

    [Fact]
    public void StagingCopiesStubsKernelsAndModuleAndPrintsTheContainerBuild()
    {
        string nf = Checkout();
        ProcessResult result = Run(["--nf-interpreter", nf, "--board", "esp32-devkitc-v4", "--psram", "--stage-only"]);

        Assert.True(result.Exit == 0 && result.Err == "", result.ToString());
        string staged = Path.Combine(nf, "InteropAssemblies", "QuantEdge.Runtime.Interop");
        string[] sources = [.. Directory.GetFiles(Interop, "*.cpp"), .. Directory.GetFiles(Interop, "*.h"), .. Directory.GetFiles(Kernels)];
        Assert.Equal(sources.Select(Path.GetFileName).Order(), Directory.GetFiles(staged).Select(Path.GetFileName).Order());
        foreach (string source in sources)
        {
            Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(Path.Combine(staged, Path.GetFileName(source))));
        }

        Assert.Equal(File.ReadAllBytes(Path.Combine(Interop, "FindINTEROP-QuantEdge.Runtime.Interop.cmake")),
            File.ReadAllBytes(Path.Combine(nf, "CMake", "Modules", "FindINTEROP-QuantEdge.Runtime.Interop.cmake")));
        Assert.Equal("{ \"version\": 4 }", File.ReadAllText(Path.Combine(nf, "config", "user-prefs.json")));
        string container = Options().GetProperty("container").GetString()!;
        Assert.EndsWith($"docker run --rm -v {nf}:/nf-interpreter -w /nf-interpreter {container} bash -c " +
            "'cmake --preset ESP32_PSRAM_REV0 -DNF_INTEROP_ASSEMBLIES=QuantEdge.Runtime.Interop && cmake --build build'\n", result.Out);
        Assert.False(Directory.Exists(folder.File("out")));
    }

    [Fact]
    public void ADryRunWritesNothing()
    {
        string nf = Checkout();
        ProcessResult result = Run(["--nf-interpreter", nf, "--target", "ESP32_C3", "--out", folder.File("out"), "--dry-run"]);

        Assert.True(result.Exit == 0, result.ToString());
        Assert.Contains($"copy {Path.Combine(Kernels, "qe_conv2d.c")} -> {nf}/InteropAssemblies/QuantEdge.Runtime.Interop/qe_conv2d.c\n", result.Out);
        Assert.Contains("cmake --preset ESP32_C3 -DNF_INTEROP_ASSEMBLIES=QuantEdge.Runtime.Interop", result.Out);
        Assert.False(Directory.Exists(Path.Combine(nf, "InteropAssemblies")));
        Assert.False(File.Exists(Path.Combine(nf, "config", "user-prefs.json")));
        Assert.False(Directory.Exists(folder.File("out")));
    }

    /// <summary>A build (a fake engine that writes the image where the ESP32 build does) leaves the image and what it must match.</summary>
    [Fact]
    public void ABuildLeavesTheImageAndTheNativeIdentityItMustMatch()
    {
        string nf = Checkout();
        string log = folder.File("engine.log");
        ProcessResult result = Run(["--nf-interpreter", nf, "--board", "lolin-d32", "--out", folder.File("out")], FakeEngine(log, exit: 0));

        Assert.True(result.Exit == 0 && result.Err == "", result.ToString());
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(folder.File("out/nanoCLR.bin")));
        Assert.StartsWith($"run --rm -v {nf}:/nf-interpreter -w /nf-interpreter ", File.ReadAllText(log));
        string checksum = Regex.Match(File.ReadAllText(Path.Combine(Interop, "QuantEdge_Runtime_Interop.cpp")), @"0x[0-9A-F]{8}").Value;
        Assert.Equal([
            "preset ESP32_REV0",
            $"interop assembly QuantEdge.Runtime.Interop, AssemblyNativeVersion 1.0.0.0, native checksum {checksum}, QE_ABI_VERSION 1",
            $"nf-interpreter (not a git clone) (firmware.json: {Options().GetProperty("nfInterpreter").GetProperty("ref").GetString()})",
        ], File.ReadAllLines(folder.File("out/firmware.txt")));
    }

    [Fact]
    public void AFailedBuildStopsWithItsExitCode()
    {
        ProcessResult result = Run(["--nf-interpreter", Checkout(), "--target", "ESP32_REV0", "--out", folder.File("out")], FakeEngine(folder.File("engine.log"), exit: 5));

        Assert.Equal(5, result.Exit);
        Assert.Contains("the build failed with exit code 5", result.Err);
        Assert.False(Directory.Exists(folder.File("out")));
    }

    [Theory]
    [InlineData(new[] { "--board", "lolin-d32", "--dry-run" }, "--nf-interpreter DIR is required")]
    [InlineData(new[] { "--nf-interpreter", "{folder}", "--board", "lolin-d32", "--dry-run" }, "not an nf-interpreter checkout")]
    [InlineData(new[] { "--nf-interpreter", "{nf}", "--dry-run" }, "--board NAME|FILE or --target PRESET is required")]
    [InlineData(new[] { "--nf-interpreter", "{nf}", "--board", "lolin-d32", "--target", "ESP32_REV0", "--dry-run" }, "--board and --target")]
    [InlineData(new[] { "--nf-interpreter", "{nf}", "--board", "no-such-board", "--dry-run" }, "board 'no-such-board' not found")]
    [InlineData(new[] { "--nf-interpreter", "{nf}", "--board", "lolin-d32", "--psram", "--dry-run" }, "no PSRAM firmware variant")]
    [InlineData(new[] { "--nf-interpreter", "{nf}", "--target", "ESP32_REV0", "--psram", "--dry-run" }, "--psram goes with --board")]
    [InlineData(new[] { "--nf-interpreter", "{nf}", "--bogus" }, "unknown option '--bogus'")]
    public void BadInputIsOneLineAndExitTwo(string[] arguments, string mention)
    {
        string nf = Checkout();
        ProcessResult result = Run(arguments.Select(a => a.Replace("{nf}", nf).Replace("{folder}", folder.File("empty"))));

        Assert.True(result.Exit == 2, result.ToString());
        Assert.Single(result.ErrLines);
        Assert.Contains(mention, result.Err);
        Assert.False(Directory.Exists(Path.Combine(nf, "InteropAssemblies")));
    }

    /// <summary>A container engine that logs its arguments and, exiting 0, writes the image into the mounted checkout.</summary>
    private Dictionary<string, string?> FakeEngine(string log, int exit)
    {
        string engine = folder.Write("fake-engine", "#!/usr/bin/env bash\nprintf '%s\\n' \"$*\" > \"$FAKE_ENGINE_LOG\"\n" +
            "[[ $FAKE_ENGINE_EXIT == 0 ]] || exit \"$FAKE_ENGINE_EXIT\"\n" +
            "mount=${4%%:*}; mkdir -p \"$mount/build\" && printf '\\x01\\x02\\x03' > \"$mount/build/nanoCLR.bin\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(engine, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return new() { ["QE_CONTAINER_ENGINE"] = engine, ["FAKE_ENGINE_LOG"] = log, ["FAKE_ENGINE_EXIT"] = exit.ToString() };
    }

    private ProcessResult Run(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null) =>
        Processes.Run("bash", [Path.Combine(Repository.Root, "tools", "esp32-firmware"), .. arguments], folder.Path, environment);
}
