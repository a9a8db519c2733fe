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
        double managedCnn = Time(cnn, ModelBenchmark.QuantEdgeManaged), managedMlp = Time(mlp, ModelBenchmark.QuantEdgeManaged);
        line($"**Larger models: the host SIMD kernels.** The QuantEdge rows run on the desktop build's SIMD kernels (`HostSimd.Enabled`, AVX2, and AVX-512 where the CPU has it: FullyConnected, Conv2D, "
            + "DepthwiseConv2D and MaxPool2D, bit-identical to the device's kernels); the row *on the managed (device) kernels only* is the same model on the kernels a stock ESP32 runs, "
            + "scalar code written for nanoFramework's IL interpreter (no `Span`, `Vector` or intrinsics there). "
            + $"For the CNN QuantEdge takes {Report.Micros(qeCnn)} ({Rate(macsCnn, qeCnn)}) against {Report.Micros(managedCnn)} on the managed kernels "
            + $"({Compare(cnn, ModelBenchmark.QuantEdgeManaged, ModelBenchmark.QuantEdgeInt8)}), the MLP {Report.Micros(qeMlp)} against {Report.Micros(managedMlp)}; "
            + $"ONNX Runtime's float model takes {Report.Micros(ortCnn)} ({Rate(macsCnn, ortCnn)}) for the CNN: QuantEdge is {Compare(cnn, ModelBenchmark.OrtFloat, ModelBenchmark.QuantEdgeInt8)}. What bounds it:");
        line("");
        bool avx512 = System.Runtime.Intrinsics.X86.Avx512BW.IsSupported;
        line("1. *The multiply-adds.* A convolution reads its windows straight from its input padded with zeros (int16), four output pixels of a row at a time, "
            + "and multiplies a pair of taps (one int32 of the image, broadcast) by the packed weights of eight output channels per 256-bit vector, or sixteen per 512-bit vector "
            + $"for a layer of more than eight outputs where the CPU has AVX-512 ({(avx512 ? "this one has" : "not this one")}): two MACs per channel per `vpmaddwd`, "
            + "and a `vpaddd` to add them up (.NET exposes no AVX-512 VNNI, and the int8 dot products are not used); "
            + $"ONNX Runtime's MLAS float kernels do {FloatLanes()} on this CPU. "
            + "The first convolution has one input channel, so a pixel's window is three filter rows of two pairs of taps (one of them padding) for 8 channels, "
            + $"and the output stage costs as much as the multiply-adds: it runs at {Rate(conv1.Macs, conv1.Contender.Median)} against {Rate(conv2.Macs, conv2.Contender.Median)} "
            + "for the second (36 pairs of taps, 16 channels).");
        line($"2. *The output stage.* Every output value goes through the fixed-point requantization, in one pass over a convolution's sums: "
            + (avx512 ? "sixteen per 512-bit vector whatever the pixel" : "a pixel's eight channels per 256-bit vector")
            + $" (two 64-bit multiplies per pair of lanes, the rounding shift, the clamp: about 27 instructions); the first convolution has one per {conv1.Macs / (double)Elements(conv1.OutputDims):F0} MACs.");
        double oneSample = Time(cnn, ModelBenchmark.QuantEdgeOneSample);
        LayerTime pool = cnn.Layers.First(l => l.Op is Compiler.Blob.Pool2DRecord);
        line($"3. *Pooling.* Max pooling takes 8 or 16 channels per vector maximum ({Report.Micros(pool.Contender.Median)} for the first pool). "
            + $"The same CNN run on one sample over and over takes {Report.Micros(oneSample)} instead of {Report.Micros(qeCnn)}: the SIMD kernels hardly branch on the data.");
        line("");
        double mlpLayers = mlp.Layers.Sum(l => l.Contender.Median);
        line($"*No batch API.* Running N rows per call would share out only what an inference costs besides its layers: the MLP's whole inference "
            + $"({Report.Micros(qeMlp)}: inputs in, `Invoke`, outputs out) against its layers alone, each in a one-op blob with its own `Invoke` ({Report.Micros(mlpLayers)}), "
            + "leaves nothing measurable to share, and a CNN's time is its layers'. The host's many-row work runs on all cores instead: calibration and the range choice (below). "
            + "Not done: int8 dot products (VNNI) and SIMD kernels for the other ops (AveragePool2D, Add, ...). The managed kernels' own throughput is the next section's.");
        line("");
        double deviceCnn = Time(cnn, ModelBenchmark.OrtDevice), qdqCnn = Time(cnn, ModelBenchmark.OrtQdq), int8Cnn = Time(cnn, ModelBenchmark.OrtQdqInt8);
        line($"**The QDQ exports in ONNX Runtime.** The Device-arithmetic export is for conformance, not speed: a convolution becomes 18 ONNX nodes (DequantizeLinear of input, weights "
            + $"and bias to codes, the float op on integer values, Cast, and the int64 requantization Mul/Add/Mod/Sub/Div/Abs/Add/Div/Sign/Mul, Add/Clip/Cast), and ONNX Runtime runs the CNN's in {Report.Micros(deviceCnn)}. "
            + $"The standard QDQ export ({Report.Micros(qdqCnn)}) runs DequantizeLinear, the float op and QuantizeLinear per layer; with int8 kernels allowed (QLinearConv, QGemm with "
            + $"int8 activations) it takes {Report.Micros(int8Cnn)}, {(int8Cnn < qdqCnn ? "faster" : "slower")} on this CPU — ONNX Runtime leaves int8-activation QDQ unfused on x86-64 by default.");
        line("");
        QuantizationCost cost = cnn.Cost;
        line($"**Calibration and quantization.** For the CNN, {Report.Seconds(cost.CalibrationSeconds)} of {Report.Seconds(cost.Seconds)} go to calibration: "
            + $"the float executor (scalar, double accumulation) alone takes {cost.ExecutorSecondsPerRow * 1e3:F2} ms per row, about {Report.Seconds(cost.ExecutorSecondsPerRow * cost.Rows)} for all rows "
            + $"on one core (timed separately afterwards); the rest is collecting statistics on every value of every tensor (min/max per element, sums, and a {QuantEdge.Compiler.Calibration.ValueStatistics.SampleCapacity:N0}-value reservoir sample "
            + $"that draws a random number per value once full). Both are shared out over the {Environment.ProcessorCount} cores, up to 64 rows at a time: the float model runs the rows side by side, then the tensors' "
            + "statistics take them in row order, tensors side by side (so the blob is the same on any number of cores). The automatic range choice, which re-quantizes and runs candidate models on the "
            + $"host SIMD kernels on a sample of the rows (shared out over the cores) for each choice, takes {Report.Seconds(cost.RangeChoiceSeconds)}. The peak working set ({Report.Bytes(cost.PeakWorkingSet)}) is the process before quantizing "
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
