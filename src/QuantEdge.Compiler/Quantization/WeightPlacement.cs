namespace QuantEdge.Compiler.Quantization;

/// <summary>Where the quantizer may put fully connected weights (<c>quantize --weights</c>).</summary>
public enum WeightPlacement
{
    /// <summary>In RAM while the RAM budget allows, streamed from flash when it does not (<see cref="LayoutChooser"/>).</summary>
    Auto,

    /// <summary>Always in RAM, even past the budget (what runtimes before the Streamed layout can load).</summary>
    Ram,

    /// <summary>Every fully connected layer streamed; convolutions in RAM.</summary>
    Streamed,
}
