using QuantEdge.Compiler.Blob;
using QuantEdge.Runtime;
using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;
using QuantEdge.Runtime.Tests;

namespace QuantEdge.Compiler.Tests.Blob;

public class BlobInspectorTests
{
    private static OpParameter[] P(params (string Name, int Value)[] words) => words.Select(w => new OpParameter(w.Name, w.Value)).ToArray();

    /// <summary>Every op record of the every-op model, read back with each word named as the host wrote it.</summary>
    [Fact]
    public void NamesTheWordsOfEveryOp()
    {
        DeviceModel device = TestModels.EveryOp();
        BlobContents blob = BlobInspector.Read(TestModels.Blob(device));

        Assert.Equal(device.Ops.Select(o => o.OpCode), blob.Ops.Select(o => o.OpCode));
        Assert.Equal(["Conv2D", "MaxPool2D", "AveragePool2D", "Add", "Mul", "Lookup", "Lookup", "Concat", "GlobalAveragePool", "Reshape", "FullyConnected", "Softmax"],
            blob.Ops.Select(o => o.Name));
        for (int i = 0; i < device.Ops.Count; i++)
        {
            Assert.Equal(device.Ops[i].InputTensors, blob.Ops[i].Inputs);
            Assert.Equal(device.Ops[i].OutputTensor, blob.Ops[i].Output);
        }

        var conv = (Conv2DRecord)device.Ops[0];
        Assert.Equal(P(("filterH", 3), ("filterW", 3), ("strideH", 1), ("strideW", 1), ("dilationH", 1), ("dilationW", 1), ("padTop", 1), ("padLeft", 1),
            ("inputZeroPoint", conv.InputZeroPoint), ("outputZeroPoint", conv.OutputZeroPoint), ("activationMin", -128), ("activationMax", 127)), blob.Ops[0].Parameters);
        Assert.Equal(["weights", "bias", "multiplier", "shift"], blob.Ops[0].Data.Select(d => d.Name));
        // Biases within ±3000 are stored as int16, multipliers as int32, shifts as int8.
        Assert.Equal([conv.Weights.Length, 2 * conv.Bias.Length, 4 * conv.Bias.Length, conv.Bias.Length], blob.Ops[0].Data.Select(d => d.Length));

        Assert.Equal(P(("filterH", 2), ("filterW", 2), ("strideH", 2), ("strideW", 2), ("padTop", 0), ("padLeft", 0), ("activationMin", -128), ("activationMax", 127)),
            blob.Ops[1].Parameters);
        var add = (AddRecord)device.Ops[3];
        Assert.Equal(add.Params.LeftShift, blob.Ops[3].Parameters.Single(p => p.Name == "leftShift").Value);
        Assert.Equal(add.Params.OutputMultiplier, blob.Ops[3].Parameters.Single(p => p.Name == "outputMultiplier").Value);
        Assert.Equal(P(("axis", 3), ("inputCount", 2)), blob.Ops[7].Parameters);
        var fc = (FullyConnectedRecord)device.Ops[10];
        Assert.Equal(P(("outputZeroPoint", fc.OutputZeroPoint), ("activationMin", fc.ActivationMin), ("activationMax", fc.ActivationMax), ("weightZeroPoint", 0)),
            blob.Ops[10].Parameters);
        var softmax = (SoftmaxRecord)device.Ops[11];
        Assert.Equal(P(("inputMultiplier", softmax.InputMultiplier), ("inputLeftShift", softmax.InputLeftShift), ("diffMin", softmax.DiffMin)), blob.Ops[11].Parameters);
        Assert.Equal(256, blob.Ops[5].Data.Single(d => d.Name == "table").Length);
    }

    [Fact]
    public void ReadsTensorsInputRulesMetadataAndGolden()
    {
        DeviceModel device = TestModels.Mlp(layout: WeightLayout.Int64Pairs);
        byte[] bytes = TestModels.Blob(device);
        BlobContents blob = BlobInspector.Read(bytes);
        Model model = Model.Load(bytes);

        Assert.Equal((BlobFormat.VersionMajor, BlobFormat.VersionMinor), (blob.VersionMajor, blob.VersionMinor));
        Assert.Equal(model.ArenaBytes, blob.ArenaBytes);
        Assert.Equal(device.Tensors.Select(t => t.Dims.ToArray()), blob.Tensors.Select(t => t.Dims));
        Assert.Equal(device.Tensors.Select(t => (t.Scale, t.ZeroPoint)), blob.Tensors.Select(t => (t.Scale, t.ZeroPoint)));
        Assert.Equal(device.InputRules.Select(r => (r.UnitExponent, r.RawOffset, r.Multiplier, r.Shift, r.ZeroPoint)),
            blob.InputRules.Select(r => (r.UnitExponent, r.RawOffset, r.Multiplier, r.Shift, r.ZeroPoint)));
        // The scale the blob implies is the one the rule was made for, to the Q31 multiplier's precision.
        Assert.All(device.InputRules.Zip(blob.InputRules), p => Assert.Equal(p.First.Scale, p.Second.Scale, p.First.Scale * 1e-8));
        Assert.Equal(WeightLayout.Int64Pairs, blob.Ops[0].Layout);
        Assert.Equal("test-mlp", blob.ModelName);
        Assert.Equal(device.FeatureNames, blob.FeatureNames);
        Assert.Equal(device.OutputNames, blob.OutputNames);
        Assert.Equal(model.GetGoldenRawInput(), blob.GoldenRawInput);
        // With raw values the blob keeps only the CRC-32 of the int8 input they quantize to.
        Assert.Null(blob.GoldenInput);
        byte[] input = model.GetGoldenInput().Select(v => unchecked((byte)v)).ToArray();
        Assert.Equal(Crc32.Compute(input, 0, input.Length), blob.GoldenInputCrc);
        Assert.Equal(model.GetGoldenOutput(), blob.GoldenOutput);
        Assert.Equal(bytes.Length, blob.Sections.End);
    }

    [Fact]
    public void DescriptionTotalsAreTheRuntimes()
    {
        byte[] bytes = TestModels.Blob(TestModels.Cnn());
        Model model = Model.Load(bytes);
        ModelDescription d = ModelDescription.Of(bytes);

        Assert.True(d.SelfTestPasses);
        Assert.Equal((bytes.Length, model.WeightBytes, model.ArenaBytes, model.Macs), (d.BlobBytes, d.WeightsBytes, d.ArenaBytes, d.Macs));
        Assert.Equal(d.Macs, d.Layers.Sum(l => l.Macs));
        Assert.Equal(d.WeightsBytes, d.Layers.Sum(l => l.WeightBytes));
        Assert.Equal(d.WeightsBytes + d.ArenaBytes + d.RuntimeObjectBytes, d.DeviceRamBytes);
        Assert.Equal([[1, 8, 7, 2]], d.Layers[0].InputShapes);
        Assert.Equal([1, 8, 7, 5], d.Layers[0].OutputShape);
        Assert.All(d.Inputs, f => Assert.Equal(-3, f.UnitExponent));
    }

    /// <summary>
    /// The runtime's own objects grow with what the loader allocates: more output channels mean
    /// more per-channel arrays and, in Int8Rows, more row arrays; a pair layout halves the row arrays.
    /// </summary>
    [Fact]
    public void RuntimeObjectEstimateFollowsChannelsAndLayout()
    {
        int Estimate(int hidden, WeightLayout layout) => ModelDescription.Of(TestModels.Blob(TestModels.Mlp(hidden: hidden, layout: layout))).RuntimeObjectBytes;
        Assert.True(Estimate(20, WeightLayout.Int8Rows) > Estimate(10, WeightLayout.Int8Rows));
        Assert.True(Estimate(20, WeightLayout.Int64Pairs) < Estimate(20, WeightLayout.Int8Rows));
    }

    [Fact]
    public void DescribingABadBlobThrowsTheLoadersError()
    {
        byte[] bytes = TestModels.Blob(TestModels.Mlp());
        bytes[^1] ^= 1;
        Assert.Equal(ModelError.ChecksumMismatch, Assert.Throws<ModelFormatException>(() => ModelDescription.Of(bytes)).Reason);
    }
}
