using QuantEdge.Runtime.Interop;
using QuantEdge.Runtime.Kernels;
using QuantEdge.Runtime.Native;

namespace QuantEdge.NativeDeviceTests.Cases
{
    /// <summary>
    /// Where an element-wise case puts its tensors: two inputs and an output apart, or the output on the first
    /// or second input (in place, as the loader allows), or both inputs on the same tensor.
    /// </summary>
    internal static class ElementwiseLayout
    {
        public static sbyte[] Arena(CaseRandom r, int size, out int input1, out int input2, out int output, out string placement)
        {
            input1 = r.Gap();
            int mode = r.Range(0, 3);
            input2 = mode == 3 ? input1 : input1 + size + r.Gap();
            int end = (mode == 3 ? input1 : input2) + size;
            output = mode == 1 ? input1 : mode == 2 ? input2 : end + r.Gap();
            int last = end > output + size ? end : output + size;
            sbyte[] arena = r.Arena(last + r.Gap());
            System.Array.Copy(r.Int8s(size), 0, arena, input1, size);
            if (input2 != input1)
            {
                System.Array.Copy(r.Int8s(size), 0, arena, input2, size);
            }

            placement = mode == 0 ? "apart" : mode == 1 ? "in place on input 1" : mode == 2 ? "in place on input 2" : "one tensor twice";
            return arena;
        }
    }

    /// <summary>Add with any headroom shift (0–20), input and output rescalings, zero points and clamp.</summary>
    internal sealed class AddCase : KernelCase
    {
        private readonly AddParams p = new AddParams();
        private readonly int input1, input2, output;
        private readonly int[] args;

        public AddCase(CaseRandom r, int index)
        {
            p.Size = r.OneIn(8) ? r.Range(1, 600) : r.Range(1, 40);
            p.Input1ZeroPoint = r.ZeroPoint();
            p.Input2ZeroPoint = r.ZeroPoint();
            p.OutputZeroPoint = r.ZeroPoint();
            r.Clamp(out p.ActivationMin, out p.ActivationMax);
            p.LeftShift = r.OneIn(2) ? 20 : r.Range(0, 20);
            p.Input1Multiplier = r.Multiplier();
            p.Input1Shift = r.Shift();
            p.Input2Multiplier = r.Multiplier();
            p.Input2Shift = r.Shift();
            p.OutputMultiplier = r.Multiplier();
            p.OutputShift = r.OneIn(2) ? r.Range(-31, -10) : r.Shift();
            string placement;
            Arena = ElementwiseLayout.Arena(r, p.Size, out input1, out input2, out output, out placement);
            args = NativeKernels.AddArgs(p, input1, input2, output);
            Work = p.Size;
            Name = "Add #" + index.ToString() + " " + p.Size.ToString() + " " + placement + " L " + p.LeftShift.ToString();
        }

        public override void RunManaged(sbyte[] arena)
        {
            Add.Eval(p, arena, input1, input2, output);
        }

        public override void RunNative(sbyte[] arena)
        {
            NativeMethods.Add(arena, args);
        }
    }

    /// <summary>Mul with any zero points, rescaling and clamp.</summary>
    internal sealed class MulCase : KernelCase
    {
        private readonly MulParams p = new MulParams();
        private readonly int input1, input2, output;
        private readonly int[] args;

        public MulCase(CaseRandom r, int index)
        {
            p.Size = r.OneIn(8) ? r.Range(1, 600) : r.Range(1, 40);
            p.Input1ZeroPoint = r.ZeroPoint();
            p.Input2ZeroPoint = r.ZeroPoint();
            p.OutputZeroPoint = r.ZeroPoint();
            r.Clamp(out p.ActivationMin, out p.ActivationMax);
            p.OutputMultiplier = r.Multiplier();
            p.OutputShift = r.Shift();
            string placement;
            Arena = ElementwiseLayout.Arena(r, p.Size, out input1, out input2, out output, out placement);
            args = NativeKernels.MulArgs(p, input1, input2, output);
            Work = p.Size;
            Name = "Mul #" + index.ToString() + " " + p.Size.ToString() + " " + placement;
        }

        public override void RunManaged(sbyte[] arena)
        {
            Mul.Eval(p, arena, input1, input2, output);
        }

        public override void RunNative(sbyte[] arena)
        {
            NativeMethods.Mul(arena, args);
        }
    }

    /// <summary>Lookup through a random table, apart or in place.</summary>
    internal sealed class LookupCase : KernelCase
    {
        private readonly LookupParams p = new LookupParams();
        private readonly int input, output;
        private readonly int[] args;

        public LookupCase(CaseRandom r, int index)
        {
            p.Size = r.Range(1, 300);
            p.Table = r.Int8s(256);
            bool inPlace = r.OneIn(2);
            input = r.Gap();
            output = inPlace ? input : input + p.Size + r.Gap();
            Arena = r.Arena(output + p.Size + r.Gap());
            System.Array.Copy(r.Int8s(p.Size), 0, Arena, input, p.Size);
            args = NativeKernels.LookupArgs(p, input, output);
            Work = p.Size;
            Name = "Lookup #" + index.ToString() + " " + p.Size.ToString() + (inPlace ? " in place" : " apart");
        }

        public override void RunManaged(sbyte[] arena)
        {
            Lookup.Eval(p, arena, input, output);
        }

        public override void RunNative(sbyte[] arena)
        {
            NativeMethods.Lookup(arena, args, p.Table);
        }
    }

    /// <summary>Softmax: rows of 1–40 (now and then up to 4095), any input scaling and diff min, apart or in place.</summary>
    internal sealed class SoftmaxCase : KernelCase
    {
        private readonly SoftmaxParams p = new SoftmaxParams();
        private readonly int input, output;
        private readonly int[] args;

        public SoftmaxCase(CaseRandom r, int index)
        {
            p.Rows = r.Range(1, 4);
            p.RowSize = r.OneIn(16) ? r.Range(41, 4095) : r.Range(1, 40);
            if (p.RowSize > 300) p.Rows = 1;
            p.InputMultiplier = r.OneIn(4) ? r.Multiplier() : r.Range(1 << 30, int.MaxValue);
            p.InputLeftShift = r.OneIn(4) ? r.Range(0, 31) : r.Range(15, 26);
            p.DiffMin = r.OneIn(4) ? -r.Range(0, 255) : -r.Range(0, 5000);
            int size = p.Rows * p.RowSize;
            bool inPlace = r.OneIn(2);
            input = r.Gap();
            output = inPlace ? input : input + size + r.Gap();
            Arena = r.Arena(output + size + r.Gap());
            System.Array.Copy(r.Int8s(size), 0, Arena, input, size);
            args = NativeKernels.SoftmaxArgs(p, input, output);
            Work = size;
            Name = "Softmax #" + index.ToString() + " " + p.Rows.ToString() + "x" + p.RowSize.ToString() + " M " + p.InputMultiplier.ToString() +
                " L " + p.InputLeftShift.ToString() + " diffMin " + p.DiffMin.ToString() + (inPlace ? " in place" : " apart");
        }

        public override void RunManaged(sbyte[] arena)
        {
            Softmax.Eval(p, arena, input, output);
        }

        public override void RunNative(sbyte[] arena)
        {
            NativeMethods.Softmax(arena, args);
        }
    }

    /// <summary>Concat of 2–16 inputs of 1–20 elements per outer index, 1–4 outer indices, in any order in the arena.</summary>
    internal sealed class ConcatCase : KernelCase
    {
        private readonly ConcatParams p = new ConcatParams();
        private readonly int[] offsets;
        private readonly int output;
        private readonly int[] args;

        public ConcatCase(CaseRandom r, int index)
        {
            int inputs = r.OneIn(8) ? 16 : r.Range(2, 5);
            p.OuterCount = r.Range(1, 4);
            p.InputChunk = new int[inputs];
            offsets = new int[inputs];
            int at = r.Gap(), total = 0;
            for (int k = 0; k < inputs; k++)
            {
                p.InputChunk[k] = r.Range(1, 20);
                offsets[k] = at;
                at += p.OuterCount * p.InputChunk[k] + r.Gap();
                total += p.OuterCount * p.InputChunk[k];
            }

            output = at;
            Arena = r.Arena(output + total + r.Gap());
            args = NativeKernels.ConcatArgs(p, offsets, output);
            Work = total;
            Name = "Concat #" + index.ToString() + " " + inputs.ToString() + " inputs x" + p.OuterCount.ToString();
        }

        public override void RunManaged(sbyte[] arena)
        {
            Concat.Eval(p, arena, offsets, output);
        }

        public override void RunNative(sbyte[] arena)
        {
            NativeMethods.Concat(arena, args);
        }
    }
}
