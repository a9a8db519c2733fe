using System.Globalization;
using System.Reflection.Metadata;
using QuantEdge.Compiler.Blob;
using QuantEdge.NfCheck;
using QuantEdge.Runtime.Kernels;
using static System.FormattableString;

namespace QuantEdge.DeviceTest.Bench;

/// <summary>
/// What stands in the way of a workload that misses issue 9's target, counted rather than guessed: the IL instructions
/// its kernels' innermost loops execute per unit of work (as tools/nfcheck --il counts them, in the device builds the
/// benchmark ran), divided by the naive loop's per MAC. Time on the interpreter tracks IL executed, so that quotient is
/// the × naive the workload would reach if nothing outside its inner loops cost anything: its IL floor. A floor above
/// the target says the inner loop itself is too long; the measured ratio minus the floor is what the work outside the
/// inner loops (per output, per call, per op) costs.
/// </summary>
public sealed class IlFloor
{
    private readonly Dictionary<string, double> _ilPerUnit;

    /// <summary>IL per unit of the kernel methods' cheapest innermost loop, by "Type::Method" (without the namespace) and unit (<see cref="Key"/>).</summary>
    public IlFloor(IReadOnlyDictionary<string, double> ilPerUnit, double naiveIlPerMac, IReadOnlyDictionary<string, byte[]> blobs)
    {
        _ilPerUnit = new Dictionary<string, double>(ilPerUnit);
        NaiveIlPerMac = naiveIlPerMac;
        Blobs = blobs;
    }

    /// <summary>The units of work a loop is counted in: the benchmark's (a MAC, a pooling tap, an element written).</summary>
    public static readonly string[] Units = ["MAC", "tap", "element"];

    /// <summary>IL per unit of a kernel method's cheapest innermost loop doing that unit ("Dot::Rows16", "MAC"), null if it has none.</summary>
    public double? IlPerUnit(string method, string unit) => _ilPerUnit.TryGetValue(Key(method, unit), out double il) ? il : null;

    public static string Key(string method, string unit) => method + " per " + unit;

    /// <summary>IL per MAC of the naive loop (bench/QuantEdge.DeviceBench's NaiveLoop.Run).</summary>
    public double NaiveIlPerMac { get; }

    /// <summary>
    /// Loops whose multiplies each do several MACs, which nfcheck's count (one MAC per multiply of an array element)
    /// cannot see: DepthwiseConv2D's stride-1 row packs a filter row's three taps in 21-bit lanes of one long.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, int> MacsPerMultiply = new Dictionary<string, int> { ["DepthwiseConv2D::Row3x3Stride1"] = 3 };

    /// <summary>Blobs of the benchmark's models by their names, for the models' floors (their layers' inner loops).</summary>
    public IReadOnlyDictionary<string, byte[]> Blobs { get; }

    /// <summary>Counts the loops in the device builds of the runtime and the benchmark; <paramref name="blobs"/> are the models' (<see cref="ModelBlobs"/>).</summary>
    public static IlFloor Count(string runtimeAssembly, string benchAssembly, IReadOnlyDictionary<string, byte[]> blobs)
    {
        using ModuleImage runtime = ModuleImage.Open(runtimeAssembly);
        using ModuleImage bench = ModuleImage.Open(benchAssembly);
        var costs = new Dictionary<string, double>();
        foreach (MethodDefinitionHandle method in KernelMethods(runtime))
        {
            string name = ShortName(Names.Method(runtime.Reader, method));
            foreach (string unit in Units)
            {
                if (CheapestLoop(runtime, method, unit) is double cost)
                {
                    costs[Key(name, unit)] = unit == "MAC" ? cost / MacsPerMultiply.GetValueOrDefault(name, 1) : cost;
                }
            }
        }

        MethodDefinitionHandle naive = bench.Reader.MethodDefinitions
            .Single(m => Names.Method(bench.Reader, m).EndsWith(".NaiveLoop::Run", StringComparison.Ordinal));
        return new IlFloor(costs, CheapestLoop(bench, naive, "MAC") ?? throw new Running.DeviceTestException("no loop with a MAC in NaiveLoop.Run"), blobs);
    }

    /// <summary>
    /// The cell of the targets table for a workload: the inner loops, their IL floor and what the measured ratio
    /// leaves outside them; null when the workload's loops are not known here.
    /// </summary>
    public string? Explain(Timing t, double measured, double target)
    {
        List<(string Method, double Share)>? loops = Loops(t);
        string unit = t.Kind == "model" ? "MAC" : t.Unit;
        if (loops == null || loops.Count == 0 || loops.Any(l => !_ilPerUnit.ContainsKey(Key(l.Method, unit))))
        {
            return null;
        }

        double il = loops.Sum(l => l.Share * _ilPerUnit[Key(l.Method, unit)]);
        double floor = il / NaiveIlPerMac;
        string which = string.Join(", ", loops.Select(l => $"`{l.Method}`" + (loops.Count == 1 ? "" : " " + l.Share.ToString("P0", CultureInfo.InvariantCulture))));
        string them = loops.Count == 1 ? "it" : "them";
        return Invariant($"inner loop{(loops.Count == 1 ? "" : "s")} {which}: {il:F2} IL/{unit} ÷ naive {NaiveIlPerMac:F2} IL/MAC = IL floor {floor:F2}") +
            (floor > target ? $", above the target: the inner loop{(loops.Count == 1 ? " itself" : "s themselves")}" : "") +
            (measured < floor ? "; measured below it (cheaper instructions than the naive loop's)"
                : Invariant($"; {measured - floor:F2} outside {them}") + (t.Kind == "model" ? ModelOverheads(t.Name) : t.Unit == "MAC" ? " (per output, per call)" : ""));
    }

    /// <summary>What a model does besides its MAC loops, counted from its blob: its ops and the outputs its MAC layers requantize.</summary>
    private string ModelOverheads(string model)
    {
        ModelDescription d = ModelDescription.Of(Blobs[model]);
        List<LayerDescription> macLayers = d.Layers.Where(l => l.Macs > 0).ToList();
        long outputs = macLayers.Sum(l => l.OutputShape.Aggregate(1L, (a, b) => a * b));
        int others = d.Layers.Count - macLayers.Count;
        return Invariant($" ({d.Layers.Count} ops{(others == 0 ? "" : $", {others} without MACs")}; {outputs:N0} outputs requantized, one per {(double)d.Macs / outputs:F0} MACs)");
    }

    /// <summary>The methods whose innermost loops do a workload's work, with each one's share of its units.</summary>
    public List<(string Method, double Share)>? Loops(Timing t)
    {
        if (t.Kind == "model")
        {
            return Blobs.TryGetValue(t.Name, out byte[]? blob) ? ModelLoops(ModelDescription.Of(blob)) : null;
        }

        string n = t.Name;
        WeightLayout layout = n.EndsWith("Int64Pairs", StringComparison.Ordinal) ? WeightLayout.Int64Pairs : WeightLayout.Int8Rows;
        if (n.StartsWith("FullyConnected 256-64 Int", StringComparison.Ordinal))
        {
            return Passes(layout, 64, 1);
        }

        if (n.StartsWith("Conv2D 16x16x8 3x3 pad 1 -> 16 Int", StringComparison.Ordinal))
        {
            return Passes(layout, 16, 1);
        }

        if (n.StartsWith("DepthwiseConv2D 16x16x16 3x3 pad 1", StringComparison.Ordinal))
        {
            return [(DepthwiseLoop(3, 3, 1), 1.0)];
        }

        // The other kernels by their Eval (Softmax's work is spread over several loops per element: not one loop's floor).
        string kernel = n.Split(' ')[0];
        return kernel is "MaxPool2D" or "AveragePool2D" or "GlobalAveragePool" or "Add" or "Mul" or "Lookup" or "Concat" ? [(kernel + "::Eval", 1.0)] : null;
    }

    /// <summary>A model's MAC layers: each layer's passes weighted by its share of the model's MACs.</summary>
    private static List<(string Method, double Share)>? ModelLoops(ModelDescription model)
    {
        var loops = new List<(string Method, double Share)>();
        foreach (LayerDescription layer in model.Layers.Where(l => l.Macs > 0))
        {
            double share = (double)layer.Macs / model.Macs;
            List<(string Method, double Share)>? passes = layer.Op switch
            {
                "FullyConnected" or "Conv2D" => Passes(layer.WeightLayout, layer.OutputShape[^1], share),
                "DepthwiseConv2D" => [(DepthwiseLoop(Parameter(layer, "filterH"), Parameter(layer, "filterW"), Parameter(layer, "strideW")), share)],
                _ => null,
            };
            if (passes == null)
            {
                return null;
            }

            loops.AddRange(passes);
        }

        return loops.GroupBy(l => l.Method).Select(g => (g.Key, g.Sum(l => l.Share))).OrderByDescending(l => l.Item2).ToList();
    }

    /// <summary>
    /// The loop a depthwise layer's MACs run in: a 3×3 filter on the band walk (DepthwiseConv2D.Walks3x3, for the usual
    /// paddings and no dilation), at stride 1 three outputs per multiply; any other filter on the pixel walk.
    /// </summary>
    private static string DepthwiseLoop(int filterHeight, int filterWidth, int strideWidth) =>
        filterHeight != 3 || filterWidth != 3 ? "DepthwiseConv2D::Pixel" : strideWidth == 1 ? "DepthwiseConv2D::Row3x3Stride1" : "DepthwiseConv2D::Eval3x3";

    private static int Parameter(LayerDescription layer, string name) => layer.Parameters.Single(p => p.Name == name).Value;

    /// <summary>
    /// The Dot loops FullyConnected and Conv2D run for <paramref name="channels"/> output channels, each with its share of the
    /// MACs: the widest passes first (16 channels, then 8, 4, 1 for Int8Rows; 16, 8, 2 for Int64Pairs), as the kernels do.
    /// </summary>
    public static List<(string Method, double Share)>? Passes(WeightLayout layout, int channels, double share)
    {
        (int Width, string Method)[] widths = layout switch
        {
            WeightLayout.Int8Rows => [(16, "Dot::Rows16"), (8, "Dot::Rows8"), (4, "Dot::Rows4"), (1, "Dot::Row")],
            WeightLayout.Int64Pairs => [(16, "Dot::Pairs8"), (8, "Dot::Pairs4"), (2, "Dot::Pair")],
            _ => [],
        };
        if (widths.Length == 0)
        {
            return null;
        }

        var passes = new List<(string Method, double Share)>();
        int left = channels;
        foreach ((int width, string method) in widths)
        {
            // A last Int64Pairs pair may hold one channel; its pass costs a pair's.
            int covered = width == widths[^1].Width ? left : left / width * width;
            if (covered > 0)
            {
                passes.Add((method, share * covered / channels));
                left -= covered;
            }
        }

        return passes;
    }

    private static IEnumerable<MethodDefinitionHandle> KernelMethods(ModuleImage module) =>
        module.Reader.TypeDefinitions.Where(t => Checks.InKernelNamespace(module.Reader, t))
            .SelectMany(t => module.Reader.GetTypeDefinition(t).GetMethods());

    /// <summary>
    /// IL per unit of the method's cheapest innermost loop that does units of work: a "MAC" as nfcheck --il counts them, a "tap"
    /// an int8 element loaded (a pool), an "element" an element stored (an elementwise op). Null without such a loop.
    /// </summary>
    public static double? CheapestLoop(ModuleImage module, MethodDefinitionHandle method, string unit)
    {
        MethodBodyBlock? body = module.Body(method);
        if (body == null)
        {
            return null;
        }

        List<Instruction> il = Il.Decode(body);
        var loops = LoopReport.InnermostLoops(il).Select(loop =>
        {
            int[] indexes = Enumerable.Range(0, il.Count).Where(i => il[i].Offset >= loop.Start && il[i].Offset <= loop.End).ToArray();
            return (Instructions: indexes.Length, Macs: indexes.Sum(i => LoopReport.Macs(il, i, module.Reader)),
                Stores: indexes.Count(i => il[i].OpCode is ILOpCode.Stelem_i1 or ILOpCode.Stelem_i2 or ILOpCode.Stelem_i4),
                Loads: indexes.Count(i => il[i].OpCode is ILOpCode.Ldelem_i1 or ILOpCode.Ldelem_u1));
        }).ToList();
        Func<(int Instructions, int Macs, int Stores, int Loads), int> units = unit switch
        {
            "MAC" => l => l.Macs,
            "tap" => l => l.Loads,
            "element" => l => l.Stores,
            _ => throw new ArgumentException("unknown unit " + unit, nameof(unit)),
        };
        return loops.Where(l => units(l) > 0).Select(l => (double?)((double)l.Instructions / units(l))).Min();
    }

    /// <summary>"QuantEdge.Runtime.Kernels.Dot::Rows16" → "Dot::Rows16".</summary>
    private static string ShortName(string method) => method[(method.LastIndexOf('.', method.IndexOf("::", StringComparison.Ordinal)) + 1)..];

    /// <summary>The blobs of a device benchmark's models: the bundled ones from the device tests' resources, the packed ones from the benchmark's.</summary>
    public static Dictionary<string, byte[]> ModelBlobs(string testResources, string sklearnPack)
    {
        var blobs = new Dictionary<string, byte[]>();
        foreach (string file in Directory.GetFiles(testResources, "*.qem"))
        {
            blobs[Path.GetFileNameWithoutExtension(file)] = File.ReadAllBytes(file);
        }

        if (File.Exists(sklearnPack))
        {
            using var reader = new BinaryReader(File.OpenRead(sklearnPack));
            int count = reader.ReadInt32();
            for (int i = 0; i < count; i++)
            {
                string name = System.Text.Encoding.ASCII.GetString(reader.ReadBytes(reader.ReadInt32()));
                blobs[name] = reader.ReadBytes(reader.ReadInt32());
            }
        }

        return blobs;
    }

    /// <summary>For the report's prose: how the floor is counted, with the naive loop's figure.</summary>
    public string Legend() =>
        "*What stands in the way* (for a row that misses its target): the IL instructions the workload's innermost loops execute per " +
        "unit of work, counted in the Release build the benchmark ran as `tools/nfcheck --il` counts them (a model: its MAC layers' " +
        "loops weighted by their MACs), divided by the naive loop's " +
        NaiveIlPerMac.ToString("F2", CultureInfo.InvariantCulture) + " IL per MAC. The interpreter's time tracks IL executed, so " +
        "that is the IL floor of the ratio: what it would be if nothing outside the inner loops cost anything. A floor above the target " +
        "means the inner loop itself is too long; the measured ratio minus the floor is the work outside it. It is a proxy rather than " +
        "a bound: instructions differ in cost (array accesses and 64-bit arithmetic cost more), so a loop of cheaper instructions than " +
        "the naive loop's can measure below its floor.";
}
