using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.Ops;

// The pointwise ops (Relu, Clip, LeakyRelu, Sigmoid, Tanh, Neg, Exp, HardSigmoid, HardSwish): everything the host
// compiler does with them, one part per pass, in pass order. Each op's node, Graph/Nodes/Pointwise/<Op>Node.cs,
// holds its float function, its table and traits; on the device every one is a 256-entry lookup table,
// LookupRecord (Blob/Records/LookupRecord.cs), built by Quantization/LookupTable.cs.

namespace QuantEdge.Compiler.Onnx
{
    internal sealed partial class OnnxGraphImporter
    {
        [ForOp("Relu")]
        private void ConvertRelu(OnnxNodeContext c) =>
            Emit(new ReluNode { Name = c.IrName, Input = SoleInput(c), Output = c.OutputName(0) }, c);

        [ForOp("Sigmoid")]
        private void ConvertSigmoid(OnnxNodeContext c) =>
            Emit(new SigmoidNode { Name = c.IrName, Input = SoleInput(c), Output = c.OutputName(0) }, c);

        [ForOp("Tanh")]
        private void ConvertTanh(OnnxNodeContext c) =>
            Emit(new TanhNode { Name = c.IrName, Input = SoleInput(c), Output = c.OutputName(0) }, c);

        [ForOp("LeakyRelu")]
        private void ConvertLeakyRelu(OnnxNodeContext c) =>
            Emit(new LeakyReluNode { Name = c.IrName, Input = SoleInput(c), Output = c.OutputName(0), Alpha = c.Float("alpha", 0.01f) }, c);

        [ForOp("Neg")]
        private void ConvertNeg(OnnxNodeContext c) =>
            Emit(new NegNode { Name = c.IrName, Input = SoleInput(c), Output = c.OutputName(0) }, c);

        [ForOp("Exp")]
        private void ConvertExp(OnnxNodeContext c) =>
            Emit(new ExpNode { Name = c.IrName, Input = SoleInput(c), Output = c.OutputName(0) }, c);

        [ForOp("HardSwish")]
        private void ConvertHardSwish(OnnxNodeContext c) =>
            Emit(new HardSwishNode { Name = c.IrName, Input = SoleInput(c), Output = c.OutputName(0) }, c);

        [ForOp("HardSigmoid")]
        private void ConvertHardSigmoid(OnnxNodeContext c) =>
            Emit(new HardSigmoidNode { Name = c.IrName, Input = SoleInput(c), Output = c.OutputName(0), Alpha = c.Float("alpha", 0.2f), Beta = c.Float("beta", 0.5f) }, c);

        [ForOp("Clip")]
        private void ConvertClip(OnnxNodeContext c)
        {
            float min;
            float max;
            if (opset < 11)
            {
                c.RequireInputs(1, 1);
                min = c.Float("min", float.MinValue);
                max = c.Float("max", float.MaxValue);
            }
            else
            {
                c.RequireInputs(1, 3);
                min = c.InputName(1) is null ? float.MinValue : Scalar(c, 1, "min");
                max = c.InputName(2) is null ? float.MaxValue : Scalar(c, 2, "max");
            }

            Emit(new ClipNode { Name = c.IrName, Input = Activation(c, 0), Output = c.OutputName(0), Min = min, Max = max }, c);
        }
    }
}

namespace QuantEdge.Compiler.PreQuantized
{
    internal sealed partial class PreQuantizedGraph
    {
        /// <summary>A ReLU between a QDQ layer and its QuantizeLinear clamps at the output's zero point (real 0): exact.</summary>
        [ForOp("Relu")]
        private Value Relu(OnnxNodeContext c)
        {
            c.RequireInputs(1, 1);
            return ValueOf(c, 0) is Pending pending
                ? new Pending(spec => pending.Lower(spec with { Min = Math.Max(spec.Min, spec.Params.ZeroPoint) }))
                : throw c.Error("Relu is supported only right after a QDQ Conv, Gemm or MatMul (as a clamp of its output).");
        }
    }
}

namespace QuantEdge.Compiler.Quantization.Lowering
{
    internal sealed partial class DevicePlan
    {
        [ForOp(typeof(PointwiseNode))]
        private void PlanPointwise(PointwiseNode pointwise) =>
            AddStep(Lookup(pointwise, pointwise.Table) with
            {
                FixedOutput = pointwise.FixedOutput is (double scale, int zeroPoint) ? new QuantParams((float)scale, zeroPoint) : null,
            });
    }

    internal sealed partial class Lowerer
    {
        [ForOp(StepKind.Lookup)]
        private LookupRecord LowerLookup(StepTensors s) =>
            new(s.Input, s.Output, [.. LookupTable.Build(s.Step.Function!, s.X.Scale, s.X.ZeroPoint, s.Y.Scale, s.Y.ZeroPoint)]);
    }
}

namespace QuantEdge.Compiler.Onnx
{
    internal sealed partial class QdqGraph
    {
        [ForOp(typeof(LookupRecord))]
        private void Lookup(LookupRecord lookup)
        {
            var rotated = new sbyte[256];
            for (int i = 0; i < rotated.Length; i++)
            {
                rotated[i] = lookup.Table[(i + 128) & 255];
            }

            string indices = Cast(values[lookup.Input], OnnxInt32);
            string result = Node("Gather", [Int8s(rotated, 256), indices], a => a.Int("axis", 0));
            values[lookup.Output] = Relayout(result, model.Tensors[lookup.Input].Dims, model.Tensors[lookup.Output].Dims);
        }
    }
}
