using QuantEdge.DeviceBench;
using QuantEdge.NativeHost;

// The device benchmark's native workloads, over the C kernels compiled for this host; lines as the device
// benchmark prints them ("bench,host,<name>,<unit>,<units>,<runs per round>,<fastest round in ticks>"), then
// "bench,done". Exit 2 without a C compiler.
string root = FindRoot();
if (HostCompiler.Unavailable() is string why)
{
    Console.Error.WriteLine("native host bench: " + why);
    return 2;
}

HostKernels kernels = HostKernels.Load(root);
using (kernels.Install())
{
    // The device benchmark's models (its Resources.resx embeds these files), in its order, then its pack of the models trained elsewhere.
    string tests = Path.Combine(root, "tests", "QuantEdge.DeviceTests", "Resources");
    (string Name, string File)[] models =
    [
        ("DemoMlp", Path.Combine(tests, "DemoMlp.qem")),
        ("IrisMlp", Path.Combine(root, "src", "QuantEdge.Firmware", "Resources", "model.qem")),
        ("PetalWidthMlp", Path.Combine(tests, "PetalWidthMlp.qem")),
        ("RadarAutoencoder", Path.Combine(tests, "RadarAutoencoder.qem")),
        ("Cnn", Path.Combine(tests, "Cnn.qem")),
    ];
    ModelPack.Read(File.ReadAllBytes(Path.Combine(root, "bench", "QuantEdge.DeviceBench", "Resources", "SklearnModels.bin")), out string[] packedNames, out byte[][] packedBlobs);
    Workload[] workloads = NativeWorkloads.All([.. models.Select(m => m.Name), .. packedNames], [.. models.Select(m => File.ReadAllBytes(m.File)), .. packedBlobs]);
    var runs = new int[workloads.Length];
    var ticks = new long[workloads.Length];
    Timing.MeasureAll(workloads, runs, ticks);
    for (int w = 0; w < workloads.Length; w++)
    {
        Console.WriteLine($"bench,host,{workloads[w].Name},{workloads[w].Unit},{workloads[w].Units},{runs[w]},{ticks[w]}");
    }
}

Console.WriteLine("bench,done");
return 0;

static string FindRoot()
{
    for (string? folder = AppContext.BaseDirectory; folder is not null; folder = Path.GetDirectoryName(folder))
    {
        if (File.Exists(Path.Combine(folder, "QuantEdge.sln")))
        {
            return folder;
        }
    }

    throw new InvalidOperationException("no QuantEdge.sln above " + AppContext.BaseDirectory);
}
