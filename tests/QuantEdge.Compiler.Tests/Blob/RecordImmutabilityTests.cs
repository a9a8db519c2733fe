using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Quantization;
using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Compiler.Tests.Blob;

/// <summary>
/// Add, Mul and the broadcast ops take their parameters as the device kernel's block of public fields. Their host
/// records copy it in and hand copies out, so that a record, once made (lowered, read from a blob), stays as made.
/// </summary>
public class RecordImmutabilityTests
{
    [Fact]
    public void AnAddRecordKeepsItsParametersWhatEverIsDoneToTheBlockHandedInOrOut()
    {
        AddParams p = AddQuantization.Create(8, 0.1, 3, 0.2, -5, 0.25, 7, -100, 120);
        var add = new AddRecord(0, 1, 2, p);
        int shift = add.Params.LeftShift, multiplier = add.Params.OutputMultiplier;

        p.LeftShift = shift + 1;
        add.Params.OutputMultiplier = multiplier + 1;
        AddRecord copy = add with { Output = 3 };
        copy.Params.ActivationMax = 0;

        Assert.Equal(shift, add.Params.LeftShift);
        Assert.Equal(multiplier, add.Params.OutputMultiplier);
        Assert.Equal(120, copy.Params.ActivationMax);
        Assert.Equal(-100, add.Params.ActivationMin);
    }

    [Fact]
    public void AMulRecordKeepsItsParameters()
    {
        MulParams p = MulQuantization.Create(8, 0.1, 3, 0.2, -5, 0.25, 7);
        var mul = new MulRecord(0, 1, 2, p);
        int multiplier = mul.Params.OutputMultiplier;

        p.OutputMultiplier = multiplier + 1;
        mul.Params.OutputMultiplier = multiplier + 2;

        Assert.Equal(multiplier, mul.Params.OutputMultiplier);
        Assert.Equal(3, mul.Params.Input1ZeroPoint);
    }

    [Fact]
    public void ABroadcastRecordKeepsItsParameters()
    {
        AddParams p = AddQuantization.Create(8, 0.1, 3, 0.2, -5, 0.25, 7);
        var sub = new BroadcastRecord(BlobFormat.OpSub, 0, 1, 2, p);
        int shift = sub.Params.Input2Shift;

        p.Input2Shift = shift + 1;
        sub.Params.Input2Shift = shift + 2;

        Assert.Equal(shift, sub.Params.Input2Shift);
        Assert.Equal(8, sub.Params.Size);
    }
}
