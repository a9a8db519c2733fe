using System.Diagnostics;
using QuantEdge.Runtime.Format;

namespace QuantEdge.Cli.Tests;

/// <summary>Where the repository and the nanoFramework toolchain kit are, seen from the test's output folder.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The kit (shared/nanoframework beside the repository, or $QUANTEDGE_NANO_KIT), or null when it is absent.</summary>
    public static string? NanoKit
    {
        get
        {
            string? configured = Environment.GetEnvironmentVariable("QUANTEDGE_NANO_KIT");
            string kit = string.IsNullOrEmpty(configured) ? Path.GetFullPath(Path.Combine(Root, "..", "shared", "nanoframework")) : configured;
            return File.Exists(Path.Combine(kit, "lib", "nanoFramework.ResourceManager.dll")) ? kit : null;
        }
    }

    /// <summary>CI sets QUANTEDGE_REQUIRE_NANOCLR: there a missing kit is a failure, not a reason to skip.</summary>
    public static bool NanoKitRequired => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("QUANTEDGE_REQUIRE_NANOCLR"));

    /// <summary>The nanoFramework mscorlib (NuGet nanoFramework.CoreLibrary), copied next to the tests.</summary>
    public static string NanoMscorlib { get; } = Path.Combine(AppContext.BaseDirectory, "nano", "mscorlib.dll");

    /// <summary>The quantedge command the tests were built with, as a command line for scripts (QUANTEDGE).</summary>
    public static string QuantedgeCommand { get; } = $"dotnet {Path.Combine(AppContext.BaseDirectory, "quantedge.dll")}";

    private static string FindRoot()
    {
        for (string? folder = AppContext.BaseDirectory; folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(Path.Combine(folder, "QuantEdge.sln")))
            {
                return folder;
            }
        }

        throw new InvalidOperationException($"no QuantEdge.sln above {AppContext.BaseDirectory}");
    }
}

/// <summary>A valid node.bin (docs/node-format.md, version 1.0) with constant inputs and no outputs.</summary>
public static class NodeBin
{
    public static byte[] Create(int inputs)
    {
        const int HeaderBytes = 60, InputWords = 12, OutputWords = 6;
        int length = HeaderBytes + inputs * InputWords * 4;
        var bytes = new byte[length];
        "QEN1"u8.CopyTo(bytes);
        BitConverter.TryWriteBytes(bytes.AsSpan(4), (ushort)1);
        BitConverter.TryWriteBytes(bytes.AsSpan(6), (ushort)0);
        int[] fields = [length, 0, 2000, 0b10, 1, -1, 0, inputs, 3, inputs, InputWords, 0, OutputWords];
        for (int i = 0; i < fields.Length; i++)
        {
            if (i != 1) // offset 12 is the CRC, written last
            {
                BitConverter.TryWriteBytes(bytes.AsSpan(8 + 4 * i), fields[i]);
            }
        }

        for (int input = 0; input < inputs; input++)
        {
            int record = HeaderBytes + input * InputWords * 4;
            BitConverter.TryWriteBytes(bytes.AsSpan(record + 5 * 4), 1);          // samples
            BitConverter.TryWriteBytes(bytes.AsSpan(record + 10 * 4), 100 + input); // the constant's raw value
        }

        BitConverter.TryWriteBytes(bytes.AsSpan(12), Crc32.Compute(bytes, 16, length - 16));
        return bytes;
    }
}

/// <summary>What a child process printed and returned.</summary>
public sealed record ProcessResult(int Exit, string Out, string Err)
{
    public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {Exit}\nstdout:\n{Out}\nstderr:\n{Err}";
}

public static class Processes
{
    /// <summary>
    /// Runs a program to completion. MSBuild's variables from the 'dotnet test' that runs us are removed, so a
    /// 'dotnet build' started here evaluates its project on its own.
    /// </summary>
    public static ProcessResult Run(string program, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string?>? environment = null, int timeoutSeconds = 300)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach ((string name, string? value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start)!;
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', start.ArgumentList)} ran longer than {timeoutSeconds} s");
        }

        process.WaitForExit();
        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}
