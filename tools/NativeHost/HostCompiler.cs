using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace QuantEdge.NativeHost;

/// <summary>
/// Compiles src/QuantEdge.Native/kernels into a shared library for this machine: every .c file, C99, -O3 (what
/// the nanoCLR's Release build uses), -Wall -Wextra -Werror, plus a variant's defines. The library goes to
/// artifacts/native-host/&lt;hash of the sources, compiler and flags&gt;/, so an unchanged kernel is compiled once.
/// </summary>
public static class HostCompiler
{
    /// <summary>The flags every build uses.</summary>
    public static readonly string[] Flags = ["-std=c99", "-O3", "-fPIC", "-shared", "-Wall", "-Wextra", "-Werror"];

    /// <summary>The C compiler: $CC, else gcc.</summary>
    public static string Compiler => Environment.GetEnvironmentVariable("CC") is { Length: > 0 } cc ? cc : "gcc";

    public static string KernelsFolder(string root) => Path.Combine(root, "src", "QuantEdge.Native", "kernels");

    /// <summary>Why no library can be built here (no compiler), or null.</summary>
    public static string? Unavailable()
    {
        try
        {
            using Process process = Process.Start(new ProcessStartInfo(Compiler, "--version") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            process.WaitForExit();
            return process.ExitCode == 0 ? null : $"{Compiler} --version failed";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return $"no C compiler ({Compiler}; set CC to use another)";
        }
    }

    /// <summary>The library of <paramref name="defines"/> (e.g. QE_DOT_PORT="qe_dot_reference.h"), compiled when missing.</summary>
    public static string Build(string root, params string[] defines)
    {
        string kernels = KernelsFolder(root);
        string[] sources = Directory.GetFiles(kernels, "*.c").Order(StringComparer.Ordinal).ToArray();
        string[] arguments = [.. Flags, .. defines.Select(d => "-D" + d), "-I" + kernels];
        var hash = new StringBuilder(Compiler).Append('\n').AppendJoin('\n', arguments);
        foreach (string file in Directory.GetFiles(kernels).Order(StringComparer.Ordinal))
        {
            hash.Append('\n').Append(Path.GetFileName(file)).Append('\n').Append(File.ReadAllText(file));
        }

        string key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(hash.ToString())))[..16].ToLowerInvariant();
        string folder = Path.Combine(root, "artifacts", "native-host", key);
        string library = Path.Combine(folder, "libqe_kernels.so");
        if (File.Exists(library))
        {
            return library;
        }

        Directory.CreateDirectory(folder);
        // Another process may build the same library at once: each writes its own file, then renames it in.
        string partial = Path.Combine(folder, $"libqe_kernels.{Environment.ProcessId}.{Guid.NewGuid():N}.so");
        var start = new ProcessStartInfo(Compiler) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments.Concat(["-o", partial]).Concat(sources))
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Compiler} {string.Join(' ', start.ArgumentList)} failed:\n{output}");
        }

        File.Move(partial, library, overwrite: true);
        return library;
    }
}
