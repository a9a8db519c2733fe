using System.Diagnostics;

namespace QuantEdge.DeviceTest.Running;

/// <summary>
/// tools/device-test: checks the .nfproj twins, builds and converts the <see cref="DeviceProjects.Apps"/>
/// (a build or MetadataProcessor error is a failure), then builds, converts and runs every test assembly
/// of <see cref="DeviceProjects.Tests"/> on the nanoCLR, prints each result line and ends with
/// "N passed, M failed". Returns 0 only when every declared test ran and passed.
/// </summary>
public static class TestCommand
{
    public static int Run(string root, Kit kit, TimeSpan timeout)
    {
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
        foreach (string project in DeviceProjects.Tests)
        {
            string name = Path.GetFileNameWithoutExtension(project);
            DeviceApp app = DeviceBuild.Prepare(root, kit, project, [DeviceProjects.TestLauncher], Path.Combine(artifacts, name));
            int declared = DeclaredTests.Count(app.Project.Assembly);
            var clock = Stopwatch.StartNew();
            string log = Path.Combine(artifacts, name + ".log");
            ProcessResult run = NanoClr.Run(kit, app.PeFiles, timeout, log);
            Console.WriteLine($"device-test: ran {name} on the nanoCLR in {clock.Elapsed.TotalSeconds:F1} s (log: {Path.GetRelativePath(root, log)})");

            IReadOnlyList<string> lines = NanoClr.ProgramLines(run.Output);
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

        foreach (string problem in problems)
        {
            Console.WriteLine("device-test: " + problem);
        }

        Console.WriteLine($"{passed} passed, {failed} failed");
        return failed == 0 && passed > 0 ? 0 : 1;
    }
}
