using QuantEdge.Compiler.Quantization;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Tests.Kernels;

public class LookupTests
{
    /// <summary>Every int8 value once, then a few again, so the tensor has an odd length.</summary>
    private static readonly sbyte[] AllValues =
        Enumerable.Range(-128, 256).Concat([0, -128, 127]).Select(v => (sbyte)v).ToArray();

    /// <summary>
    /// Sigmoid on the kernel against double precision, for several input quantizations. The table rounds
    /// to nearest (half an LSB of 1/256) except at the top, where sigmoid → 1 needs 128 but the grid
    /// stops at 127: within 1 LSB.
    /// </summary>
    [Theory]
    [InlineData(0.0625, 0)]
    [InlineData(0.1, -20)]
    [InlineData(0.02, 5)]
    [InlineData(0.25, 127)]
    public void Sigmoid_IsWithinOneLsbOfTheFloatFunction(double inputScale, int inputZeroPoint) =>
        AssertWithinOneLsb(LookupTable.Sigmoid(inputScale, inputZeroPoint), x => 1 / (1 + Math.Exp(-x)),
            inputScale, inputZeroPoint, LookupTable.SigmoidOutputScale, LookupTable.SigmoidOutputZeroPoint);

    /// <summary>Tanh likewise on 1/128 steps: tanh → 1 needs 128, the grid stops at 127: within 1 LSB.</summary>
    [Theory]
    [InlineData(0.0625, 0)]
    [InlineData(0.03, -60)]
    [InlineData(0.005, 11)]
    [InlineData(0.5, -128)]
    public void Tanh_IsWithinOneLsbOfTheFloatFunction(double inputScale, int inputZeroPoint) =>
        AssertWithinOneLsb(LookupTable.Tanh(inputScale, inputZeroPoint), Math.Tanh,
            inputScale, inputZeroPoint, LookupTable.TanhOutputScale, LookupTable.TanhOutputZeroPoint);

    [Fact]
    public void WorksInPlace()
    {
        var p = new LookupParams { Size = AllValues.Length, Table = LookupTable.Tanh(0.04, 3) };
        var arena = new TestArena();
        int offset = arena.Place(AllValues);
        Lookup.Eval(p, arena.Data, offset, offset);
        Assert.Equal(AllValues.Select(v => p.Table[v + 128]), arena.Read(offset, AllValues.Length));
    }

    /// <summary>In place, any length: the passes of four and the elements left after them.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(254)]
    public void WorksInPlaceOnAnyLength(int size)
    {
        var p = new LookupParams { Size = size, Table = LookupTable.Tanh(0.04, 3) };
        var arena = new TestArena();
        sbyte[] values = AllValues.Reverse().Take(size).ToArray();
        int offset = arena.Place(values);
        Lookup.Eval(p, arena.Data, offset, offset);
        Assert.Equal(values.Select(v => p.Table[v + 128]), arena.Read(offset, size));
    }

    private static void AssertWithinOneLsb(sbyte[] table, Func<double, double> f,
        double inputScale, int inputZeroPoint, double outputScale, int outputZeroPoint)
    {
        var p = new LookupParams { Size = AllValues.Length, Table = table };
        var arena = new TestArena();
        int input = arena.Place(AllValues);
        int output = arena.Reserve(AllValues.Length);

        Lookup.Eval(p, arena.Data, input, output);

        sbyte[] actual = arena.Read(output, AllValues.Length);
        for (int i = 0; i < AllValues.Length; i++)
        {
            double expected = f((AllValues[i] - inputZeroPoint) * inputScale);
            double got = (actual[i] - outputZeroPoint) * outputScale;
            Assert.True(Math.Abs(got - expected) <= outputScale + 1e-12, $"input {AllValues[i]}: got {got} expected {expected}");
        }
    }
}
