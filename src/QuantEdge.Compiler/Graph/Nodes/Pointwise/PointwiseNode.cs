namespace QuantEdge.Compiler.Graph;

/// <summary>
/// A function applied to each element on its own, x ↦ f(x). What the compiler knows of such an op is
/// here, one file per op: its float reference (<see cref="Apply"/>, in float32 as ONNX computes it), the
/// real function the device's 256-entry lookup table holds (<see cref="Table"/>, in double), the output
/// quantization that table must have when the function's range fixes it, and whether the op is only a clamp
/// that a preceding layer can take into its own output clamp. The passes ask these; they do not switch on
/// the op (FloatExecutor, DevicePlan, Lowerer).
/// </summary>
public abstract record PointwiseNode : ElementwiseUnary
{
    /// <summary>The float reference: f(x) in float32.</summary>
    public abstract float Apply(float x);

    public sealed override void Evaluate(float[][] inputs, int[][] inputShapes, float[] output)
    {
        float[] x = inputs[0];
        for (int i = 0; i < x.Length; i++)
        {
            output[i] = Apply(x[i]);
        }
    }

    /// <summary>The function the device's lookup table holds, in double (evaluated on each of the 256 int8 inputs).</summary>
    public abstract double Table(double x);

    /// <summary>The table's output scale and zero point when the function's range fixes them (sigmoid, tanh); null: calibrated.</summary>
    public virtual (double Scale, int ZeroPoint)? FixedOutput => null;

    /// <summary>The bounds when the op is a clamp (ReLU, Clip), which a layer before it applies in its output stage; null otherwise.</summary>
    public virtual (float Min, float Max)? ClampRange => null;
}
