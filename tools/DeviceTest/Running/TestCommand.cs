using System.Diagnostics;

namespace QuantEdge.DeviceTest.Running;

/// <summary>
/// tools/device-test: checks the .nfproj twins, builds and converts the <see cref="DeviceProjects.Apps"/>
/// (a build or MetadataProcessor error is a failure), then builds, converts and runs every test assembly
/// of <see cref="DeviceProjects.Tests"/> (with <paramref name="native"/>, also <see cref="DeviceProjects.NativeTests"/>)
/// on the kit's nanoCLR, prints each result line and ends with "N passed, M failed". Returns 0 only when every
/// declared test ran and passed, and the kernels the tests report (<see cref="KernelPathCheck"/>) are the ones
/// this interpreter should give: native on the native build, managed on the stock one.
/// </summary>
public static class TestCommand
{
    public static int Run(string root, Kit kit, TimeSpan timeout, bool native = false)
    {
        Console.WriteLine($"device-test: on {(native ? "a nanoCLR built with the native kernels" : "the kit's stock nanoCLR")}: {kit.NanoClr}");
        string artifacts = Path.Combine(root, "artifacts", "device-test");
        var problems = new List<string>(TwinCheck.Problems(root));
        foreach (string project in DeviceProjects.Apps)
        {
            try
            {
                DeviceBuild.Prepare(root, kit, project, [], Path.Combine(artifacts, Path.GetFileNameWithoutExtension(project)));
            }
            catch (DeviceTestException e)
            {
                problems.Add(e.Message);
            }
        }

        int passed = 0, failed = problems.Count;
        var kernelLines = new List<string>();
        foreach (string project in native ? [.. DeviceProjects.Tests, .. DeviceProjects.NativeTests] : DeviceProjects.Tests)
        {
            string name = Path.GetFileNameWithoutExtension(project);
            DeviceApp app = DeviceBuild.Prepare(root, kit, project, [DeviceProjects.TestLauncher], Path.Combine(artifacts, name));
            int declared = DeclaredTests.Count(app.Project.Assembly);
            var clock = Stopwatch.StartNew();
            string log = Path.Combine(artifacts, name + ".log");
            ProcessResult run = NanoClr.Run(kit, app.PeFiles, timeout, log);
            Console.WriteLine($"device-test: ran {name} on the nanoCLR in {clock.Elapsed.TotalSeconds:F1} s (log: {Path.GetRelativePath(root, log)})");

            IReadOnlyList<string> lines = NanoClr.ProgramLines(run.Output);
            kernelLines.AddRange(lines.Where(KernelPathCheck.IsReport));
            foreach (string line in lines)
            {
                // Result lines as the launcher prints them; anything else the tests print, indented.
                Console.WriteLine(TestResult.Parse(line) != null ? line : "    " + line);
            }

            TestRun result = TestRun.From(name, lines, declared, NanoClr.AbnormalEnd(run));
            problems.AddRange(result.Problems());
            passed += result.Passed;
            failed += result.Failed;
            if (!result.Succeeded && result.Failed == 0)
            {
                failed++; // a run that ended abnormally with nothing else failed still fails
            }
        }

        string? kernels = KernelPathCheck.Problem(kernelLines, native);
        if (kernels != null)
        {
            problems.Add(kernels);
            failed++;
        }

        foreach (string problem in problems)
        {
            Console.WriteLine("device-test: " + problem);
        }

        Console.WriteLine($"{passed} passed, {failed} failed");
        return failed == 0 && passed > 0 ? 0 : 1;
    }
}

/// <summary>
/// The kernels the device tests found (QuantEdge.DeviceTests.KernelPathTests prints "kernels: native" or
/// "kernels: managed"), held to what the interpreter should give: a native build that quietly fell back to the
/// managed kernels, or a stock one that claimed native ones, fails the run.
/// </summary>
public static class KernelPathCheck
{
    private const string Prefix = "kernels: ";

    public static bool IsReport(string line) => line.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Null when every report says what <paramref name="native"/> expects (and there is one), else why not.</summary>
    public static string? Problem(IReadOnlyList<string> reports, bool native)
    {
        string expected = Prefix + (native ? "native" : "managed");
        if (reports.Count == 0)
        {
            return $"no test reported which kernels ran (expected \"{expected}\")";
        }

        string? other = reports.FirstOrDefault(r => r != expected);
        return other == null ? null : $"the tests report \"{other}\" where this interpreter should give \"{expected}\"";
    }
}
