using QuantEdge.Compiler.Quantization;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Tests.Kernels;

/// <summary>
/// Sub, Maximum and Minimum over inputs that broadcast to the output (NHWC dims equal or 1), against the
/// float result of the dequantized inputs at every output position, found by its own index arithmetic.
/// Add's rescaling keeps the inputs' rounding near 2^-20 of a step: within one output step.
/// </summary>
public class BroadcastTests
{
    public static TheoryData<string, int[], int[], int[]> Cases()
    {
        var data = new TheoryData<string, int[], int[], int[]>();
        int[][][] shapes =
        [
            [[1, 1, 1, 7], [1, 1, 1, 7], [1, 1, 1, 7]],     // same shape
            [[1, 3, 5, 2], [1, 3, 5, 2], [1, 1, 1, 2]],     // per channel
            [[1, 3, 5, 2], [1, 1, 1, 1], [1, 3, 5, 2]],     // a scalar first
            [[2, 3, 1, 3], [2, 1, 1, 3], [1, 3, 1, 1]],     // both broadcast
            [[1, 2, 7, 9], [1, 2, 7, 1], [1, 1, 7, 9]],
        ];
        foreach (string op in new[] { "Sub", "Maximum", "Minimum" })
        {
            foreach (int[][] s in shapes)
            {
                data.Add(op, s[0], s[1], s[2]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsTheFloatResultWithinOneStep(string op, int[] output, int[] left, int[] right)
    {
        (double scale1, int zeroPoint1, double scale2, int zeroPoint2, double outScale, int outZeroPoint) = (0.04, -5, 0.07, 12, 0.09, 3);
        BroadcastParams p = Params(AddQuantization.Create(0, scale1, zeroPoint1, scale2, zeroPoint2, outScale, outZeroPoint), output, left, right);
        sbyte[] x1 = RandomTensor.Int8(Count(left), seed: Count(left) + 11);
        sbyte[] x2 = RandomTensor.Int8(Count(right), seed: Count(right) + 911);
        var arena = new TestArena();
        int input1 = arena.Place(x1);
        int input2 = arena.Place(x2);
        int result = arena.Reserve(Count(output));

        Eval(op, p, arena.Data, input1, input2, result);

        sbyte[] actual = arena.Read(result, Count(output));
        for (int i = 0; i < actual.Length; i++)
        {
            double a = (x1[Broadcast(i, output, left)] - zeroPoint1) * scale1;
            double b = (x2[Broadcast(i, output, right)] - zeroPoint2) * scale2;
            double real = op switch { "Sub" => a - b, "Maximum" => Math.Max(a, b), _ => Math.Min(a, b) };
            double expected = Math.Clamp(real, (-128 - outZeroPoint) * outScale, (127 - outZeroPoint) * outScale);
            double got = (actual[i] - outZeroPoint) * outScale;
            Assert.True(Math.Abs(got - expected) <= outScale, $"{op} [{i}]: got {got}, expected {expected}");
        }
    }

    [Theory]
    [InlineData("Sub")]
    [InlineData("Maximum")]
    [InlineData("Minimum")]
    public void WorksInPlaceOnEitherInputOfTheOutputsShape(string op)
    {
        int[] dims = [1, 1, 3, 5];
        BroadcastParams p = Params(AddQuantization.Create(0, 0.07, 3, 0.05, -2, 0.1, 1), dims, dims, dims);
        BinaryInPlace.AssertMatchesSeparateOutput((arena, input1, input2, output) => Eval(op, p, arena, input1, input2, output), Count(dims));
    }

    [Fact]
    public void MaximumAndMinimumTakeOneOfTheirInputsRequantized()
    {
        int[] dims = [1, 1, 1, 64];
        AddParams rescale = AddQuantization.Create(0, 0.05, 0, 0.05, 0, 0.05, 0);
        BroadcastParams p = Params(rescale, dims, dims, dims);
        sbyte[] x1 = RandomTensor.Int8(64, seed: 5), x2 = RandomTensor.Int8(64, seed: 6);
        // One scale and zero point everywhere: the extremes of the codes themselves.
        Assert.Equal(x1.Zip(x2, (u, v) => Math.Max(u, v)).ToArray(), Run("Maximum"));
        Assert.Equal(x1.Zip(x2, (u, v) => Math.Min(u, v)).ToArray(), Run("Minimum"));

        sbyte[] Run(string op)
        {
            var arena = new TestArena();
            int a = arena.Place(x1), b = arena.Place(x2), output = arena.Reserve(64);
            Eval(op, p, arena.Data, a, b, output);
            return arena.Read(output, 64);
        }
    }

    private static void Eval(string op, BroadcastParams p, sbyte[] arena, int input1, int input2, int output)
    {
        p.Operation = op switch { "Sub" => BroadcastParams.Subtract, "Maximum" => BroadcastParams.Maximum, _ => BroadcastParams.Minimum };
        BroadcastBinary.Eval(p, arena, input1, input2, output);
    }

    private static int Count(int[] dims) => dims.Aggregate(1, (a, b) => a * b);

    /// <summary>The element of an input of <paramref name="dims"/> that output element <paramref name="index"/> reads.</summary>
    private static int Broadcast(int index, int[] output, int[] dims)
    {
        int offset = 0, stride = 1;
        for (int axis = 3; axis >= 0; axis--)
        {
            int coordinate = index % output[axis];
            index /= output[axis];
            offset += (dims[axis] == 1 ? 0 : coordinate) * stride;
            stride *= dims[axis];
        }

        return offset;
    }

    private static BroadcastParams Params(AddParams r, int[] output, int[] left, int[] right)
    {
        int Stride(int[] dims, int axis) => dims[axis] == 1 ? 0 : dims.Skip(axis + 1).Aggregate(1, (a, b) => a * b);
        return new BroadcastParams
        {
            Size = Count(output),
            Batches = output[0], Height = output[1], Width = output[2], Channels = output[3],
            Input1BatchStride = Stride(left, 0), Input1RowStride = Stride(left, 1), Input1ColumnStride = Stride(left, 2), Input1ChannelStride = Stride(left, 3),
            Input2BatchStride = Stride(right, 0), Input2RowStride = Stride(right, 1), Input2ColumnStride = Stride(right, 2), Input2ChannelStride = Stride(right, 3),
            Input1ZeroPoint = r.Input1ZeroPoint, Input2ZeroPoint = r.Input2ZeroPoint, OutputZeroPoint = r.OutputZeroPoint,
            LeftShift = r.LeftShift, Input1Multiplier = r.Input1Multiplier, Input1Shift = r.Input1Shift,
            Input2Multiplier = r.Input2Multiplier, Input2Shift = r.Input2Shift, OutputMultiplier = r.OutputMultiplier, OutputShift = r.OutputShift,
            ActivationMin = r.ActivationMin, ActivationMax = r.ActivationMax,
        };
    }
}
