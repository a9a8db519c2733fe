using System.Globalization;

namespace QuantEdge.Bench;

/// <summary>
/// The "what limits QuantEdge" section: the reasoning is fixed text, every number in it comes from
/// this run, and comparisons are worded by which way they fall.
/// </summary>
internal static class Analysis
{
    public static void Write(Action<string> line, IReadOnlyList<ModelResult> results, IReadOnlyList<(Contender Contender, long Macs)> kernels)
    {
        ModelResult mlp = results[0], cnn = results[1];
        double qeMlp = Time(mlp, ModelBenchmark.QuantEdgeInt8), rawMlp = Time(mlp, ModelBenchmark.QuantEdgeRaw), ortMlp = Time(mlp, ModelBenchmark.OrtFloat);
        double qeCnn = Time(cnn, ModelBenchmark.QuantEdgeInt8), ortCnn = Time(cnn, ModelBenchmark.OrtFloat);
        long macsMlp = mlp.Quantized.Macs, macsCnn = cnn.Quantized.Macs;
        // ONNX Runtime's float time as fixed cost + MACs at its CNN rate (an estimate: the CNN's rate stands for the MLP's).
        double ortFixed = ortMlp - macsMlp * (ortCnn / macsCnn);

        line("## What limits QuantEdge on the host");
        line("");
        line($"**The target.** Single-sample MLP: QuantEdge takes {Report.Micros(qeMlp)} per inference, ONNX Runtime's float model {Report.Micros(ortMlp)}: "
            + $"QuantEdge is {Compare(mlp, ModelBenchmark.OrtFloat, ModelBenchmark.QuantEdgeInt8)}, so the target (at least as fast as ONNX Runtime's float inference) "
            + $"{(Speed(mlp, ModelBenchmark.OrtFloat, ModelBenchmark.QuantEdgeInt8) >= 1 ? "holds" : "is missed")}. "
            + $"Quantizing the input from raw integers on the device's path as well (`SetRawInputs`, one fixed-point multiply per feature) gives {Report.Micros(rawMlp)} "
            + $"({Compare(mlp, ModelBenchmark.OrtFloat, ModelBenchmark.QuantEdgeRaw)}).");
        line("");
        line($"**Small models: the cost of a call.** ONNX Runtime runs the float CNN's {macsCnn:N0} MACs at {Rate(macsCnn, ortCnn)} but the MLP's {macsMlp:N0} at {Rate(macsMlp, ortMlp)}: "
            + $"at batch 1 a tiny model is dominated by what every `Run` costs whatever the model (the managed-to-native call, binding inputs and outputs, the executor visiting each node), "
            + $"about {Report.Micros(ortFixed)} here if the MLP's MACs ran at the CNN's rate. QuantEdge's `Invoke` is a loop over its ops with one virtual call each, on buffers made at load time; "
            + $"its MLP runs at {Rate(macsMlp, qeMlp)}, close to what its layers take alone (table above), and allocates nothing (ONNX Runtime's C# API allocates {Allocated(mlp, ModelBenchmark.OrtFloat)} managed bytes per run).");
        line("");
        LayerTime conv1 = cnn.Layers.First(l => l.Macs > 0), conv2 = cnn.Layers.Where(l => l.Macs > 0).Skip(1).First();
        (Contender fcRows, long fcMacs) = kernels.First(k => k.Contender.Name.StartsWith("FullyConnected", StringComparison.Ordinal) && k.Contender.Name.EndsWith("Int8Rows", StringComparison.Ordinal));
        (Contender fcPairs, _) = kernels.First(k => k.Contender.Name.StartsWith("FullyConnected", StringComparison.Ordinal) && k.Contender.Name.EndsWith("Int64Pairs", StringComparison.Ordinal));
        line($"**Larger models: scalar integer code.** For the CNN QuantEdge takes {Report.Micros(qeCnn)} ({Rate(macsCnn, qeCnn)}), ONNX Runtime's float model {Report.Micros(ortCnn)} "
            + $"({Rate(macsCnn, ortCnn)}): QuantEdge is {Compare(cnn, ModelBenchmark.OrtFloat, ModelBenchmark.QuantEdgeInt8)}. Once there are MACs to do, their cost decides, and three things bound QuantEdge's:");
        line("");
        line("1. *No SIMD.* The runtime is one source for nanoFramework and desktop .NET; nanoFramework has no `Span`, `Vector` or hardware intrinsics, and its IL interpreter rewards fewer IL "
            + "instructions, not vectorizable loops. The JIT's Tier-1 x64 code for the inner loop (`Dot.Rows4`, four output channels) does 4 MACs per iteration in about 25 instructions: "
            + "a sign-extending byte load per weight, one scalar `imul` per MAC, a range check on the input index (`x[k + xShift]` cannot be proven in range; loop cloning removes "
            + "the checks on the weight rows) and two loop invariants reloaded from the stack each iteration for want of registers (inspected with `DOTNET_JitDisasm`). "
            + $"The Int64Pairs layout does two MACs per 64-bit multiply: {Rate(fcMacs, fcPairs.Median)} against {Rate(fcMacs, fcRows.Median)} for Int8Rows on the fully connected kernel. "
            + $"ONNX Runtime's MLAS float kernels do {FloatLanes()} on this CPU.");
        line($"2. *Short dot products.* A convolution's inner loop runs along one filter row across the input channels (3 × C values for a 3×3 filter). The first convolution has "
            + $"C = 1, so each call does 3 MACs and the loop and call set-up dominate: it runs at {Rate(conv1.Macs, conv1.Contender.Median)} against {Rate(conv2.Macs, conv2.Contender.Median)} "
            + "for the second (C = 8, 24 MACs per call).");
        double oneSample = Time(cnn, ModelBenchmark.QuantEdgeOneSample);
        LayerTime pool = cnn.Layers.First(l => l.Op is Compiler.Blob.Pool2DRecord);
        line($"3. *Branches that depend on the data.* Every output value goes through the fixed-point requantization (a 64-bit product, rounding by the sign of the product, "
            + $"the rounding threshold of the shift, the clamp; the first convolution has one per {conv1.Macs / (double)Elements(conv1.OutputDims):F0} MACs), and max pooling "
            + $"compares every value with the running maximum ({Report.Micros(pool.Contender.Median)} for the first pool, with no MACs at all). On varying inputs the branch "
            + $"predictor cannot learn these branches: the same CNN run on one sample over and over, where it can, takes {Report.Micros(oneSample)} instead of {Report.Micros(qeCnn)}.");
        line("");
        line("Not done here, since the device code must stay as it is: a host-only kernel set on `Vector256`/AVX-512 VNNI int8 dot products (the accumulators are exact integers, so a "
            + "vectorized sum is bit-identical and can be held to the device kernels by the existing tests), im2col for layers with few input channels, and batching across samples.");
        line("");
        double deviceCnn = Time(cnn, ModelBenchmark.OrtDevice), qdqCnn = Time(cnn, ModelBenchmark.OrtQdq), int8Cnn = Time(cnn, ModelBenchmark.OrtQdqInt8);
        line($"**The QDQ exports in ONNX Runtime.** The Device-arithmetic export is for conformance, not speed: a convolution becomes 18 ONNX nodes (DequantizeLinear of input, weights "
            + $"and bias to codes, the float op on integer values, Cast, and the int64 requantization Mul/Add/Mod/Sub/Div/Abs/Add/Div/Sign/Mul, Add/Clip/Cast), and ONNX Runtime runs the CNN's in {Report.Micros(deviceCnn)}. "
            + $"The standard QDQ export ({Report.Micros(qdqCnn)}) runs DequantizeLinear, the float op and QuantizeLinear per layer; with int8 kernels allowed (QLinearConv, QGemm with "
            + $"int8 activations) it takes {Report.Micros(int8Cnn)}, {(int8Cnn < qdqCnn ? "faster" : "slower")} on this CPU — ONNX Runtime leaves int8-activation QDQ unfused on x86-64 by default.");
        line("");
        QuantizationCost cost = cnn.Cost;
        line($"**Calibration and quantization.** For the CNN, {Report.Seconds(cost.CalibrationSeconds)} of {Report.Seconds(cost.Seconds)} go to calibration, one row at a time: "
            + $"the float executor (scalar, double accumulation) alone takes {cost.ExecutorSecondsPerRow * 1e3:F2} ms per row, about {Report.Seconds(cost.ExecutorSecondsPerRow * cost.Rows)} for all rows "
            + $"(timed separately afterwards); the rest is collecting statistics on every value of every tensor (min/max per element, sums, and a {QuantEdge.Compiler.Calibration.ValueStatistics.SampleCapacity:N0}-value reservoir sample "
            + "that draws a random number per value once full). The automatic range choice, which re-quantizes and runs candidate models on a sample of the rows for each "
            + $"choice, takes {Report.Seconds(cost.RangeChoiceSeconds)}. The peak working set ({Report.Bytes(cost.PeakWorkingSet)}) is the process before quantizing "
            + $"({Report.Bytes(cost.WorkingSetBefore)}, of which the rows are {Report.Bytes(cost.DatasetBytes)}) plus the statistics and the float executor's buffers.");
    }

    /// <summary>What one vector multiply-add instruction of MLAS does here (it picks its kernels by CPU features).</summary>
    private static string FloatLanes() =>
        System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? "16 float multiply-adds per AVX-512 FMA instruction"
        : System.Runtime.Intrinsics.X86.Fma.IsSupported ? "8 float multiply-adds per AVX2 FMA instruction"
        : System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported ? "4 float multiply-adds per NEON FMA instruction"
        : "vectorized float multiply-adds";

    private static double Time(ModelResult result, string contender) => result.Contenders.Single(c => c.Name == contender).Median;

    private static double Allocated(ModelResult result, string contender) => result.Contenders.Single(c => c.Name == contender).AllocatedBytes;

    private static long Elements(int[] dims) => dims.Aggregate(1L, (a, b) => a * b);

    private static string Rate(long macs, double seconds) =>
        (macs / seconds / 1e6).ToString("N0", CultureInfo.InvariantCulture) + " MMAC/s";

    private static double Speed(ModelResult result, string reference, string contender) =>
        result.Contenders.Single(c => c.Name == contender).SpeedRelativeTo(result.Contenders.Single(c => c.Name == reference));

    /// <summary>"2.1× faster" or "3.4× slower": <paramref name="contender"/> against <paramref name="reference"/>, per-round ratio as in the tables.</summary>
    private static string Compare(ModelResult result, string reference, string contender)
    {
        double speed = Speed(result, reference, contender);
        return speed >= 1
            ? speed.ToString("F1", CultureInfo.InvariantCulture) + "× faster"
            : (1 / speed).ToString("F1", CultureInfo.InvariantCulture) + "× slower";
    }
}
