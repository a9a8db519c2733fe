using QuantEdge.Compiler.Quantization;

namespace QuantEdge.Compiler.Tests.Quantization;

public class LookupTableTests
{
    [Fact]
    public void IdentityWithTheSameQuantizationIsTheIdentityTable()
    {
        sbyte[] table = LookupTable.Build(x => x, 0.07, -3, 0.07, -3);
        Assert.Equal(Enumerable.Range(-128, 256).Select(q => (sbyte)q), table);
    }

    /// <summary>f(x) = x / 2 on unit scales puts every odd input exactly on a half: it rounds away from zero.</summary>
    [Fact]
    public void RoundsHalfAwayFromZero()
    {
        sbyte[] table = LookupTable.Build(x => x / 2, 1.0, 0, 1.0, 0);
        Assert.Equal(1, table[1 + 128]);     // 0.5
        Assert.Equal(-1, table[-1 + 128]);   // -0.5
        Assert.Equal(2, table[3 + 128]);     // 1.5
        Assert.Equal(-2, table[-3 + 128]);   // -1.5
        Assert.Equal(-64, table[-128 + 128]);
    }

    [Fact]
    public void ClampsToInt8()
    {
        sbyte[] table = LookupTable.Build(x => 3 * x, 1.0, 0, 1.0, 10);
        Assert.Equal(127, table[100 + 128]);
        Assert.Equal(-128, table[-100 + 128]);
        Assert.Equal(13, table[1 + 128]);
    }

    /// <summary>TFLite's conventional output quantization: sigmoid(0) = 1/2 → 0 on (1/256, -128); tanh(0) = 0 → 0 on (1/128, 0).</summary>
    [Fact]
    public void SigmoidAndTanhUseTheConventionalOutputQuantization()
    {
        Assert.Equal(0, LookupTable.Sigmoid(0.1, 7)[7 + 128]);
        Assert.Equal(-128, LookupTable.Sigmoid(0.1, 7)[0]);     // sigmoid(-13.5) ≈ 1.4e-6
        Assert.Equal(127, LookupTable.Sigmoid(0.1, 7)[255]);    // sigmoid(12) → 1 saturates at 255/256
        Assert.Equal(0, LookupTable.Tanh(0.05, -9)[-9 + 128]);
        Assert.Equal(-128, LookupTable.Tanh(0.05, -9)[0]);      // tanh(-5.95) ≈ -0.99999 → -127.99 → -128
        Assert.Equal(127, LookupTable.Tanh(0.05, -9)[255]);
    }

    [Fact]
    public void RejectsAFunctionThatIsNaNSomewhere() =>
        Assert.Throws<ArgumentException>(() => LookupTable.Build(Math.Log, 0.1, 0, 0.1, 0));
}
