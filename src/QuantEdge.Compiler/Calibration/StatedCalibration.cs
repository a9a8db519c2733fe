using QuantEdge.Compiler.Graph;

namespace QuantEdge.Compiler.Calibration;

/// <summary>
/// The calibration method a model's ONNX metadata asks for. A model trained quantization-aware
/// (<c>quantedge train --qat</c>) learned the rounding of min-max ranges, and loses accuracy under others.
/// </summary>
public static class StatedCalibration
{
    public const string MetadataKey = "quantedge_calibration";

    /// <summary>The method named by <see cref="MetadataKey"/>, or null when the metadata names none (or none known).</summary>
    public static CalibrationMethod? Of(ModelGraph graph) =>
        graph.Metadata.TryGetValue(MetadataKey, out string? stated) && Enum.TryParse(stated, ignoreCase: true, out CalibrationMethod method)
            && method is CalibrationMethod.MinMax or CalibrationMethod.Percentile or CalibrationMethod.Mse
            ? method
            : null;
}
