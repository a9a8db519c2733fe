using QuantEdge.Compiler.Blob;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Tests;

public class ModelTests
{
    [Theory]
    [InlineData(WeightLayout.Int8Rows)]
    [InlineData(WeightLayout.Int64Pairs)]
    public void RoundTrip_SelfTestPassesAndMetadataSurvives(WeightLayout layout)
    {
        DeviceModel source = TestModels.Mlp(layout: layout);
        Model model = Model.Load(TestModels.Blob(source));
        Assert.True(model.SelfTest());
        Assert.Equal("test-mlp", model.Name);
        Assert.Equal(7, model.InputLength);
        Assert.Equal(3, model.OutputLength);
        Assert.Equal("f6", model.GetFeatureName(6));
        Assert.Equal("class2", model.GetClassLabel(2));
        Assert.Null(model.GetClassLabel(3));
        Assert.Equal(7 * 9 + 9 * 3, model.Macs);
        Assert.Equal(3, model.OpCount);
    }

    [Fact]
    public void CompactRequantization_ExpandsToTheSameMultipliersAsTheHost()
    {
        DeviceModel source = TestModels.Mlp(scaleGrid: true);
        var grid = (ScaleGridRequantization)((FullyConnectedOp)source.Ops[0]).Requantization;
        Model model = Model.Load(TestModels.Blob(source));
        Assert.True(model.SelfTest());

        // Run the first layer by hand with the host's expansion: same bytes as the device's.
        sbyte[] input = [10, -20, 30, -40, 50, -60, 70];
        var op = (FullyConnectedOp)source.Ops[0];
        sbyte[] arena = new sbyte[7 + 9];
        input.CopyTo(arena, 0);
        QuantEdge.Runtime.Kernels.FullyConnected.Eval(Params(op, 7, 9, zeroPoint: -3), arena, 0, 7);
        var device = new sbyte[9];
        Model separate = Model.Load(BlobWriter.Write(source, new GoldenVector(model.GetGoldenRawInput(), model.GetGoldenInput(), model.GetGoldenOutput()), shareArena: false));
        separate.SetInputs(input);
        separate.Invoke();
        separate.ReadTensor(1, device);
        Assert.Equal(arena[7..], device);
        Assert.Equal(9, grid.ScaleIndex.Length);
    }

    [Fact]
    public void BothLayoutsGiveTheSameOutputs()
    {
        foreach (Func<WeightLayout, DeviceModel> build in new Func<WeightLayout, DeviceModel>[] { l => TestModels.Mlp(layout: l), l => TestModels.Cnn(l) })
        {
            Model rows = Model.Load(TestModels.Blob(build(WeightLayout.Int8Rows)));
            Model pairs = Model.Load(TestModels.Blob(build(WeightLayout.Int64Pairs)));
            Assert.True(pairs.SelfTest());
            Assert.Equal(rows.GetGoldenOutput(), pairs.GetGoldenOutput());
            Assert.True(pairs.WeightBytes > rows.WeightBytes);
        }
    }

    [Fact]
    public void EveryOpRoundTrip()
    {
        Model model = Model.Load(TestModels.Blob(TestModels.EveryOp()));
        Assert.True(model.SelfTest());
        Assert.Equal(12, model.OpCount);
        sbyte[] probabilities = model.GetGoldenOutput();
        // Softmax output: scale 1/256, zero point -128, so the probabilities sum to about 1.
        Assert.InRange(probabilities.Sum(q => (q + 128) / 256.0), 0.97, 1.03);
        Assert.Equal("e", model.GetClassLabel(4));
    }

    [Fact]
    public void CnnRoundTrip()
    {
        Model model = Model.Load(TestModels.Blob(TestModels.Cnn()));
        Assert.True(model.SelfTest());
        Assert.Equal(8L * 7 * 5 * 3 * 3 * 2 + 4 * 4 * 10 * 3 * 3 + 160 * 4, model.Macs);
        // The peak: conv (280 bytes) and depthwise (160) live together; image (112) is dead by then,
        // and the flattened view shares the depthwise bytes.
        Assert.Equal(280 + 160, model.ArenaBytes);
    }

    [Fact]
    public void Invoke_MatchesTheKernelsRunByHand()
    {
        DeviceModel source = TestModels.Mlp();
        Model model = Model.Load(TestModels.Blob(source));
        sbyte[] input = [10, -20, 30, -40, 50, -60, 70];
        model.SetInputs(input);
        model.Invoke();
        sbyte[] actual = new sbyte[3];
        model.GetOutputs(actual);

        // The same two layers, straight through the kernels on a private arena.
        var first = (FullyConnectedOp)source.Ops[0];
        var second = (FullyConnectedOp)source.Ops[2];
        sbyte[] arena = new sbyte[7 + 9 + 3];
        input.CopyTo(arena, 0);
        QuantEdge.Runtime.Kernels.FullyConnected.Eval(Params(first, 7, 9, zeroPoint: -3), arena, 0, 7);
        QuantEdge.Runtime.Kernels.FullyConnected.Eval(Params(second, 9, 3, zeroPoint: -128), arena, 7, 16);
        Assert.Equal(arena[16..], actual);
    }

    [Fact]
    public void SetRawInput_QuantizesPerFeatureWithIntegerMath()
    {
        DeviceModel source = TestModels.Mlp();
        Model model = Model.Load(TestModels.Blob(source));
        for (int f = 0; f < 7; f++)
        {
            InputRule rule = source.InputRules[f];
            foreach (int raw in new[] { -100000, -1234, -1, 0, 1, 999, 54321 })
            {
                model.SetRawInput(f, raw);
                double real = (raw - rule.RawOffset) * Math.Pow(10, rule.UnitExponent);
                // One LSB: the Q31 multiplier of 10^unit/scale and its rounding, against exact real arithmetic.
                double expected = Math.Clamp(Math.Round(real / rule.Scale) + rule.ZeroPoint, -128, 127);
                Assert.InRange(model.GetInput(f), expected - 1, expected + 1);
            }
        }
    }

    [Fact]
    public void SelfTest_FailsWhenTheGoldenOutputIsWrong()
    {
        DeviceModel source = TestModels.Mlp();
        Model good = Model.Load(TestModels.Blob(source));
        sbyte[] output = good.GetGoldenOutput();
        output[1] ^= 1;
        Model bad = Model.Load(BlobWriter.Write(source, new GoldenVector(good.GetGoldenRawInput(), good.GetGoldenInput(), output)));
        Assert.False(bad.SelfTest());
    }

    [Fact]
    public void Invoke_AllocatesNothing()
    {
        foreach (DeviceModel source in new[] { TestModels.Mlp(layout: WeightLayout.Int8Rows), TestModels.Mlp(layout: WeightLayout.Int64Pairs), TestModels.Cnn(WeightLayout.Int64Pairs), TestModels.EveryOp() })
        {
            Model model = Model.Load(TestModels.Blob(source));
            long before = 0;
            for (int i = 0; i < 300; i++)
            {
                // The first 200 calls let the JIT compile and tier up everything Invoke reaches.
                if (i == 200)
                {
                    before = GC.GetAllocatedBytesForCurrentThread();
                }

                model.Invoke();
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated == 0, $"{source.Name}: {allocated} bytes allocated in 100 calls of Invoke");
        }
    }

    [Fact]
    public void WithoutSharedArenaEveryTensorCanBeReadAfterInvoke()
    {
        DeviceModel source = TestModels.EveryOp();
        Model shared = Model.Load(TestModels.Blob(source));
        Model separate = Model.Load(BlobWriter.Write(source, new GoldenVector(shared.GetGoldenRawInput(), shared.GetGoldenInput(), shared.GetGoldenOutput()), shareArena: false));
        Assert.True(separate.SelfTest());
        Assert.Equal(source.Tensors.Sum(t => t.Elements), separate.ArenaBytes);

        sbyte[] ReadTensor(int index)
        {
            var values = new sbyte[source.Tensors[index].Elements];
            separate.ReadTensor(index, values);
            return values;
        }

        var reshape = source.Ops.OfType<ReshapeOp>().Single();
        Assert.Equal(ReadTensor(reshape.Input), ReadTensor(reshape.Output));
        Assert.Equal(separate.GetGoldenOutput(), ReadTensor(source.Output));
        Assert.Equal(separate.GetGoldenInput(), ReadTensor(source.Input));
    }

    [Fact]
    public void ArenaIsThePeakOfLiveTensors()
    {
        // x(7) and h(9) are live together, then h_flat shares h's bytes, then h and y(3): peak 16, not 7+9+9+3.
        Model model = Model.Load(TestModels.Blob(TestModels.Mlp()));
        Assert.Equal(16, model.ArenaBytes);
    }

    /// <summary>The kernel's parameters for a blob op: the device folds the input zero point into the bias at load.</summary>
    private static QuantEdge.Runtime.Kernels.FullyConnectedParams Params(FullyConnectedOp op, int depth, int outputs, int zeroPoint) => new()
    {
        Batches = 1,
        InputDepth = depth,
        OutputDepth = outputs,
        Weights = ChannelWeights.FromInt8(op.Weights, outputs, depth, WeightLayout.Int8Rows),
        Bias = op.Bias.Select((b, o) => b - zeroPoint * op.Weights.Skip(o * depth).Take(depth).Sum(w => w)).ToArray(),
        OutputMultiplier = op.Requantization.Multipliers,
        OutputShift = op.Requantization.Shifts,
        OutputZeroPoint = op.OutputZeroPoint,
        ActivationMin = op.ActivationMin,
        ActivationMax = op.ActivationMax,
    };
}
