using Microsoft.ML.OnnxRuntime;

namespace QuantEdge.Bench;

/// <summary>
/// One ONNX Runtime session run the cheapest way the C# API offers for one sample: input and output
/// OrtValues bound once to pinned arrays, so a run is a copy into the input array and Session.Run.
/// Sessions use one intra-op thread (QuantEdge runs on one) and all graph optimizations unless told otherwise.
/// </summary>
internal sealed class OrtRunner : IDisposable
{
    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly float[] input;
    private readonly OrtValue[] inputs;
    private readonly OrtValue[] outputs;
    private readonly string[] inputNames;
    private readonly string[] outputNames;

    public OrtRunner(byte[] onnx, int[] inputShape, int outputLength, Action<SessionOptions>? configure = null)
    {
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        configure?.Invoke(options);
        session = new InferenceSession(onnx, options);
        input = new float[inputShape.Aggregate(1, (a, b) => a * b)];
        Output = new float[outputLength];
        inputs = [OrtValue.CreateTensorValueFromMemory(input, inputShape.Select(d => (long)d).ToArray())];
        outputs = [OrtValue.CreateTensorValueFromMemory(Output, [1, outputLength])];
        inputNames = [session.InputMetadata.Keys.Single()];
        outputNames = [session.OutputMetadata.Keys.Single()];
    }

    /// <summary>The output of the last run.</summary>
    public float[] Output { get; }

    public static string Version => OrtEnv.Instance().GetVersionString();

    public void Run(float[] sample)
    {
        Array.Copy(sample, input, input.Length);
        session.Run(runOptions, inputNames, inputs, outputNames, outputs);
    }

    public void Dispose()
    {
        foreach (OrtValue value in inputs.Concat(outputs))
        {
            value.Dispose();
        }

        runOptions.Dispose();
        session.Dispose();
    }
}
