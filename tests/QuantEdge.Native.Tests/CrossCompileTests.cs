using System.Diagnostics;
using QuantEdge.NativeHost;
using Xunit.Abstractions;

namespace QuantEdge.Native.Tests;

/// <summary>
/// The C kernels compiled for a 32-bit Xtensa core (Debian's gcc-xtensa-lx106, ESP8266's LX106: the ESP32's own LX6
/// toolchain comes with ESP-IDF, not Debian), with the firmware's warnings as errors: they must build for a 32-bit
/// MCU, and what they leave for the linker must be integer helpers and memmove only, so no floating point (no soft-float
/// helper such as __addsf3) and no allocation (no malloc). Without the cross compiler this says so and passes, unless
/// QUANTEDGE_REQUIRE_XTENSA is set (CI installs it).
/// </summary>
public sealed class CrossCompileTests(ITestOutputHelper output)
{
    private const string Compiler = "xtensa-lx106-elf-gcc";

    /// <summary>picolibc's headers (string.h for memmove), from Debian's picolibc-xtensa-lx106-elf.</summary>
    private const string Specs = "/usr/lib/xtensa-lx106-elf/picolibc.specs";

    /// <summary>libgcc's integer division and 64-bit multiply (the LX106 has no divider; ESP-IDF links libgcc too), and memmove.</summary>
    private static readonly string[] Allowed = ["__divsi3", "__modsi3", "__udivsi3", "__umodsi3", "__muldi3", "__ashldi3", "__ashrdi3", "__lshrdi3", "memmove"];

    [Fact]
    public void EveryKernelBuildsForXtensaAndNeedsNoFloatingPointOrAllocation()
    {
        if (!File.Exists(Specs) || Run(Compiler, ["--version"]) is not (0, _))
        {
            Assert.True(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("QUANTEDGE_REQUIRE_XTENSA")),
                $"QUANTEDGE_REQUIRE_XTENSA is set but {Compiler} or {Specs} is missing (apt-get install gcc-xtensa-lx106 picolibc-xtensa-lx106-elf)");
            output.WriteLine($"skipped: no {Compiler} with picolibc");
            return;
        }

        string folder = Directory.CreateTempSubdirectory("quantedge-xtensa-").FullName;
        try
        {
            string[] sources = Directory.GetFiles(HostCompiler.KernelsFolder(Host.Root), "*.c").Order(StringComparer.Ordinal).ToArray();
            var objects = new List<string>();
            foreach (string source in sources)
            {
                string obj = Path.Combine(folder, Path.GetFileNameWithoutExtension(source) + ".o");
                (int exit, string text) = Run(Compiler, ["--specs=" + Specs, "-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-c", source, "-o", obj]);
                Assert.True(exit == 0, $"{Path.GetFileName(source)} does not build for Xtensa:\n{text}");
                objects.Add(obj);
            }

            (int nmExit, string undefined) = Run("xtensa-lx106-elf-nm", ["-u", .. objects]);
            Assert.Equal(0, nmExit);
            string[] symbols = undefined.Split('\n').Where(line => line.Contains(" U ")).Select(line => line.Trim()[2..]).Distinct().Order().ToArray();
            output.WriteLine("undefined: " + string.Join(", ", symbols));
            Assert.Empty(symbols.Except(Allowed));
            Assert.NotEmpty(objects);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static (int Exit, string Output) Run(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using Process process = Process.Start(start)!;
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
