using QuantEdge.Compiler.Deployment;
using Xunit.Abstractions;

namespace QuantEdge.Cli.Tests;

/// <summary>A small model for the script tests, made once; their own collection, so they run beside the CLI tests.</summary>
public sealed class FlashModel : IDisposable
{
    private readonly TempFolder folder = new();

    public FlashModel()
    {
        string onnx = folder.File("model.onnx");
        Blob = folder.File("model.qem");
        Cli.Ok("train", "--data", Cli.Data("iris_train.csv"), "--hidden", "4", "--epochs", "5", "--out", onnx);
        Cli.Ok("quantize", onnx, "--calibration", Cli.Data("iris_train.csv"), "--out", Blob);
    }

    public string Blob { get; }

    public void Dispose() => folder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class FlashCollection : ICollectionFixture<FlashModel>
{
    public const string Name = "flash scripts";
}

/// <summary>
/// tools/flash.sh and tools/flash.ps1: for every board the exact nanoff command lines and deployment JSON of a
/// dry run, the same commands actually run (against a fake nanoff that records its arguments), and every bad input
/// as one line on stderr with exit 2. Both scripts must print the same. The PowerShell cases need pwsh (PATH or
/// ~/.dotnet/tools); CI installs it and sets QUANTEDGE_REQUIRE_PWSH, which makes its absence a failure.
/// </summary>
[Collection(FlashCollection.Name)]
public sealed class FlashScriptTests(FlashModel model, ITestOutputHelper output) : IDisposable
{
    private const string Port = "/dev/ttyUSB0";

    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    public static TheoryData<string> Shells() => new("bash", "pwsh");

    /// <summary>Every board file with the firmware target nanoff gets, without and (where the board lists one) with --psram.</summary>
    private static readonly (string Board, string Target, string? PsramTarget)[] Boards =
    [
        ("esp32-c3-devkitm-1", "ESP32_C3", null),
        ("esp32-devkitc-v4", "ESP32_REV0", "ESP32_PSRAM_REV0"),
        ("esp32-s3-devkitc-1", "ESP32_S3_QUAD", "ESP32_S3_OCTAL"),
        ("lolin-d32", "ESP32_REV0", null),
        ("m5stickc-plus", "M5StickCPlus", null),
    ];

    public static TheoryData<string, string, bool> BoardRuns()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (string shell in new[] { "bash", "pwsh" })
        {
            foreach ((string board, _, string? psram) in Boards)
            {
                data.Add(shell, board, false);
                if (psram is not null)
                {
                    data.Add(shell, board, true);
                }
            }
        }

        return data;
    }

    [Fact]
    public void TheTableCoversEveryBoardFile() =>
        Assert.Equal(BoardLoader.BundledNames(Path.Combine(Repository.Root, "boards")), Boards.Select(b => b.Board).Order());

    [Theory]
    [MemberData(nameof(BoardRuns))]
    public void DryRunPrintsTheExactNanoffCommandsAndTheJson(string shell, string board, bool psram)
    {
        (string app, string node) = Inputs();
        string[] psramFlag = psram ? ["--psram"] : [];
        ProcessResult? result = Run(shell, ["--board", board, .. psramFlag, "--port", Port, "--image", app, "--model", model.Blob,
            "--node", node, "--json", "deploy.json", "--dry-run"]);
        if (result is null)
        {
            return;
        }

        (_, string target, string? psramTarget) = Boards.Single(b => b.Board == board);
        string json = folder.File("deploy.json");
        Assert.True(result.Exit == 0 && result.Err == "", result.ToString());
        Assert.Equal($$"""
            nanoff --update --target {{(psram ? psramTarget : target)}} --serialport /dev/ttyUSB0
            nanoff --nanodevice --deploy --serialport /dev/ttyUSB0 --image {{app}}
            nanoff --filedeployment {{json}} --serialport /dev/ttyUSB0
            # {{json}}:
            {
              "serialport": "/dev/ttyUSB0",
              "files": [
                {
                  "DestinationFilePath": "I:\\model.qem",
                  "SourceFilePath": "{{model.Blob}}"
                },
                {
                  "DestinationFilePath": "I:\\node.bin",
                  "SourceFilePath": "{{node}}"
                }
              ]
            }

            """, result.Out);
        Assert.False(File.Exists(json), "a dry run wrote the JSON");
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public void StepsRunAloneAndArgumentsAreQuotedForTheShell(string shell)
    {
        (string app, _) = Inputs();
        ProcessResult? result = Run(shell, ["--app", "--port", "COM 5", "--image", app, "--dry-run"]);
        if (result is null)
        {
            return;
        }

        Assert.True(result.Exit == 0, result.ToString());
        Assert.Equal($"nanoff --nanodevice --deploy --serialport 'COM 5' --image {app}\n", result.Out);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public void WithoutStepOptionsAndModelItFlashesAndDeploysTheAppOnly(string shell)
    {
        (string app, _) = Inputs();
        ProcessResult? result = Run(shell, ["--board", "lolin-d32", "--port", Port, "--image", app, "--dry-run"]);
        if (result is null)
        {
            return;
        }

        Assert.True(result.Exit == 0, result.ToString());
        Assert.Equal($"nanoff --update --target ESP32_REV0 --serialport {Port}\nnanoff --nanodevice --deploy --serialport {Port} --image {app}\n", result.Out);
    }

    /// <summary>A custom CLR image (the native-kernel firmware) goes to nanoff as --clrfile, by absolute path, with the board's target.</summary>
    [Theory]
    [MemberData(nameof(Shells))]
    public void AFirmwareImageIsFlashedWithTheBoardsTarget(string shell)
    {
        string image = folder.Write("nanoCLR.bin", [0xE9, 0x03, 0x02, 0x20]);
        string[] arguments = ["--firmware", "--board", "esp32-devkitc-v4", "--psram", "--port", Port, "--firmware-image", "nanoCLR.bin"];
        ProcessResult? dryRun = Run(shell, [.. arguments, "--dry-run"]);
        if (dryRun is null)
        {
            return;
        }

        Assert.True(dryRun.Exit == 0 && dryRun.Err == "", dryRun.ToString());
        Assert.Equal($"nanoff --update --target ESP32_PSRAM_REV0 --serialport {Port} --clrfile {image}\n", dryRun.Out);
        string log = folder.File("nanoff.log");
        ProcessResult run = Run(shell, arguments, FakeNanoff(log))!;
        Assert.True(run.Exit == 0 && run.Err == "", run.ToString());
        Assert.Equal([$"--update --target ESP32_PSRAM_REV0 --serialport {Port} --clrfile {image}"], File.ReadAllLines(log));
    }

    /// <summary>A real run executes the commands the dry run printed, in order, and leaves the JSON it deployed.</summary>
    [Theory]
    [MemberData(nameof(Shells))]
    public void ARealRunRunsThePrintedCommands(string shell)
    {
        (string app, string node) = Inputs();
        string[] arguments = ["--board", "esp32-devkitc-v4", "--port", Port, "--image", app, "--model", model.Blob, "--node", node, "--json", "deploy.json"];
        ProcessResult? dryRun = Run(shell, [.. arguments, "--dry-run"]);
        if (dryRun is null)
        {
            return;
        }

        string log = folder.File("nanoff.log");
        ProcessResult run = Run(shell, arguments, FakeNanoff(log))!;
        Assert.True(run.Exit == 0 && run.Err == "", run.ToString());
        string[] printed = dryRun.Out.Split('\n')[..3];
        Assert.Equal(printed.Select(line => line.Replace("nanoff", FakeNanoffPath)), run.Out.TrimEnd('\n').Split('\n'));
        Assert.Equal(printed.Select(line => line["nanoff ".Length..]), File.ReadAllLines(log));
        string dryRunJson = dryRun.Out[(dryRun.Out.IndexOf('{'))..];
        Assert.Equal(dryRunJson, File.ReadAllText(folder.File("deploy.json")));
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public void AFailingNanoffStopsTheRunWithItsExitCode(string shell)
    {
        (string app, _) = Inputs();
        var environment = FakeNanoff(folder.File("nanoff.log"));
        var failing = new Dictionary<string, string?>(environment) { ["FAKE_NANOFF_EXIT"] = "3" };
        ProcessResult? result = Run(shell, ["--board", "lolin-d32", "--port", Port, "--image", app], failing);
        if (result is null)
        {
            return;
        }

        Assert.Equal(3, result.Exit);
        Assert.Single(result.ErrLines);
        Assert.Contains("nanoff failed with exit code 3", result.Err);
        Assert.Single(File.ReadAllLines(folder.File("nanoff.log"))); // the app was not deployed after the firmware failed
    }

    public static TheoryData<string, string[], string> BadInputs()
    {
        var data = new TheoryData<string, string[], string>();
        (string[] Arguments, string Mention)[] cases =
        [
            (["--board", "lolin-d32", "--image", "{app}", "--dry-run"], "--port is required"),
            (["--board", "no-such-board", "--port", Port, "--image", "{app}", "--dry-run"], "board 'no-such-board' not found"),
            (["--board", "{folder}/missing.json", "--port", Port, "--image", "{app}", "--dry-run"], "missing.json"),
            (["--board", "{folder}/notaboard.json", "--port", Port, "--image", "{app}", "--dry-run"], "no .firmware.target"),
            (["--board", "lolin-d32", "--psram", "--port", Port, "--image", "{app}", "--dry-run"], "no PSRAM firmware variant"),
            (["--port", Port, "--image", "{app}", "--dry-run"], "the firmware step needs --board"),
            (["--board", "lolin-d32", "--port", Port, "--image", "{folder}/missing.bin", "--dry-run"], "missing.bin: application image not found"),
            (["--files", "--port", Port, "--model", "{folder}/missing.qem", "--dry-run"], "missing.qem: file not found"),
            (["--files", "--port", Port, "--model", "{app}", "--dry-run"], "app.bin: Model blob rejected"),
            (["--files", "--port", Port, "--model", "{model}", "--node", "{folder}/missing.bin", "--dry-run"], "missing.bin: file not found"),
            (["--files", "--port", Port, "--dry-run"], "--files needs --model"),
            (["--app", "--port", Port, "--image", "{app}", "--node", "{node}", "--dry-run"], "--node goes with --model"),
            (["--app", "--port", Port, "--image", "{app}", "--model", "{model}", "--dry-run"], "--model is only used by the files step"),
            (["--app", "--port", Port, "--image", "{app}", "--json", "{folder}/nowhere/d.json", "--files", "--model", "{model}", "--dry-run"], "folder does not exist"),
            (["--board", "lolin-d32", "--port", Port, "--firmware-image", "{folder}/missing-clr.bin", "--image", "{app}", "--dry-run"], "missing-clr.bin: firmware image not found"),
            (["--app", "--port", Port, "--image", "{app}", "--firmware-image", "{app}", "--dry-run"], "--firmware-image is only used by the firmware step"),
            (["--app", "--port", Port, "--image", "{app}", "--bogus"], "unknown option '--bogus'"),
            (["--app", "--port"], "--port needs a value"),
            (["--app", "--port", Port, "--image", "{app}"], "nanoff not found"),
        ];
        foreach (string shell in new[] { "bash", "pwsh" })
        {
            foreach ((string[] arguments, string mention) in cases)
            {
                data.Add(shell, arguments, mention);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputIsOneLineAndExitTwo(string shell, string[] arguments, string mention)
    {
        (string app, string node) = Inputs();
        folder.Write("notaboard.json", """{ "name": "no firmware" }""");
        var noNanoff = new Dictionary<string, string?> { ["NANOFF"] = folder.File("no-nanoff-here") };
        ProcessResult? result = Run(shell, arguments.Select(a => a.Replace("{app}", app).Replace("{node}", node)
            .Replace("{model}", model.Blob).Replace("{folder}", folder.Path)), noNanoff);
        if (result is null)
        {
            return;
        }

        Assert.True(result.Exit == 2, result.ToString());
        Assert.Single(result.ErrLines);
        Assert.Contains(mention, result.Err);
        Assert.Equal("", result.Out);
        Assert.False(File.Exists(folder.File("quantedge-deploy.json")));
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public void HelpShowsTheOptionsAndAnExample(string shell)
    {
        ProcessResult? result = Run(shell, ["--help"]);
        if (result is null)
        {
            return;
        }

        Assert.Equal(0, result.Exit);
        foreach (string option in new[] { "--port", "--board", "--psram", "--firmware-image", "--image", "--model", "--node", "--json", "--firmware", "--app", "--files", "--dry-run", "Example:" })
        {
            Assert.Contains(option, result.Out);
        }
    }

    /// <summary>A stand-in application image and a node.bin in the test folder.</summary>
    private (string App, string Node) Inputs() =>
        (folder.Write("app.bin", [0x4E, 0x46, 0x4D, 0x52]), folder.Write("node.bin", NodeBin.Create(inputs: 4)));

    private string FakeNanoffPath => folder.File("fake-nanoff");

    /// <summary>A nanoff that appends its arguments to a log and exits with $FAKE_NANOFF_EXIT (default 0).</summary>
    private Dictionary<string, string?> FakeNanoff(string log)
    {
        File.WriteAllText(FakeNanoffPath, "#!/usr/bin/env bash\nprintf '%s\\n' \"$*\" >> \"$FAKE_NANOFF_LOG\"\nexit \"${FAKE_NANOFF_EXIT:-0}\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(FakeNanoffPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return new() { ["NANOFF"] = FakeNanoffPath, ["FAKE_NANOFF_LOG"] = log };
    }

    /// <summary>Runs a script in the test folder with the tests' own quantedge; null when pwsh is absent and not required.</summary>
    private ProcessResult? Run(string shell, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var environment = new Dictionary<string, string?> { ["QUANTEDGE"] = Repository.QuantedgeCommand, ["NANOFF"] = null };
        foreach ((string name, string? value) in extra ?? new Dictionary<string, string?>())
        {
            environment[name] = value;
        }

        if (shell == "bash")
        {
            return Processes.Run("bash", [Path.Combine(Repository.Root, "tools", "flash.sh"), .. arguments], folder.Path, environment);
        }

        if (PowerShell is null)
        {
            Assert.True(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("QUANTEDGE_REQUIRE_PWSH")),
                "QUANTEDGE_REQUIRE_PWSH is set but pwsh was found neither on PATH nor in ~/.dotnet/tools");
            output.WriteLine("skipped: pwsh not found (dotnet tool install -g PowerShell --version 7.6.10)");
            return null;
        }

        return Processes.Run(PowerShell, ["-NoProfile", "-NonInteractive", "-File", Path.Combine(Repository.Root, "tools", "flash.ps1"), .. arguments],
            folder.Path, environment);
    }

    private static readonly string? PowerShell = FindPowerShell();

    private static string? FindPowerShell()
    {
        IEnumerable<string> candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools"))
            .Select(directory => Path.Combine(directory, OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh"));
        return candidates.FirstOrDefault(File.Exists);
    }
}
