using System.Collections.Immutable;
using System.Reflection;
using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Quantization;
using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Compiler.Tests.Blob;

/// <summary>
/// A host op record, once made (lowered, read from a blob), stays as made. Arrays (weights, biases, tables, axes,
/// requantization) are <see cref="ImmutableArray{T}"/>; Add, Mul and the broadcast ops take their parameters as the
/// device kernel's block of public fields, which their records copy in and hand out as copies.
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

    /// <summary>
    /// Every op record type (and what records hold: windows, requantization; and the model's tensors and input rules) exposes only values that cannot be
    /// changed in place: numbers, enums, <see cref="ImmutableArray{T}"/>, read-only lists, other such records, and the
    /// kernel parameter blocks handed out as copies (the tests above); no property has a public setter.
    /// </summary>
    [Fact]
    public void EveryRecordExposesOnlyValuesThatCannotChange()
    {
        Type[] records = typeof(DeviceOp).Assembly.GetTypes()
            .Where(t => t.IsPublic && !t.IsAbstract && (t.IsSubclassOf(typeof(DeviceOp)) || t.IsSubclassOf(typeof(Requantization)) || t == typeof(DeviceWindow)
                || t == typeof(DeviceTensor) || t == typeof(InputRule)))
            .ToArray();
        Assert.Contains(typeof(SliceRecord), records);
        Assert.Contains(typeof(ScaleGridRequantization), records);
        Assert.Contains(typeof(DeviceTensor), records);
        foreach (Type record in records)
        {
            foreach (PropertyInfo property in record.GetProperties(BindingFlags.Instance | BindingFlags.Public))
            {
                string where = $"{record.Name}.{property.Name} ({property.PropertyType.Name})";
                Assert.True(property.SetMethod is null || property.SetMethod.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.Name == "IsExternalInit"), $"{where} has a setter");
                Assert.True(CannotChange(property.PropertyType), $"{where} can be changed in place");
            }
        }
    }

    /// <summary>A record's array, copied out and changed, or written through as a list, leaves the record as made.</summary>
    [Fact]
    public void ARecordsArraysCannotBeWrittenThrough()
    {
        var pad = new PadRecord(0, 1, [0, 1, 0, 1], 9);
        int[] before = [.. pad.Before];
        before[1] = 5;
        Assert.Equal(1, pad.Before[1]);
        Assert.Throws<NotSupportedException>(() => ((IList<int>)pad.Before)[1] = 5);
    }

    private static bool CannotChange(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string)
        || type == typeof(AddParams) || type == typeof(MulParams)
        || type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>) && CannotChange(type.GetGenericArguments()[0])
        || type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) && CannotChange(type.GetGenericArguments()[0])
        || type == typeof(DeviceWindow) || type == typeof(Requantization) || type.IsSubclassOf(typeof(Requantization));
}
