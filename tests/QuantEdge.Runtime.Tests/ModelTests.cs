using System.Collections.Immutable;
using QuantEdge.Runtime.Format;
using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Quantization;
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
        var grid = (ScaleGridRequantization)((FullyConnectedRecord)source.Ops[0]).Requantization;
        Model model = Model.Load(TestModels.Blob(source));
        Assert.True(model.SelfTest());

        // Run the first layer by hand with the host's expansion: same bytes as the device's.
        sbyte[] input = [10, -20, 30, -40, 50, -60, 70];
        var op = (FullyConnectedRecord)source.Ops[0];
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
            // The managed kernels: they are what keeps each layout's storage (the native and SIMD kernels take int8 rows).
            Model rows = Model.Load(TestModels.Blob(build(WeightLayout.Int8Rows)), allowNativeKernels: false);
            Model pairs = Model.Load(TestModels.Blob(build(WeightLayout.Int64Pairs)), allowNativeKernels: false);
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
        var first = (FullyConnectedRecord)source.Ops[0];
        var second = (FullyConnectedRecord)source.Ops[2];
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
    public void SelfTest_FailsWhenTheRawInputQuantizesToAnotherInput()
    {
        // The blob keeps only the CRC-32 of the int8 input its raw values quantize to: a one-bit difference there
        // fails the self-test even though the stored output is the one the device computes.
        DeviceModel source = TestModels.Mlp();
        Model good = Model.Load(TestModels.Blob(source));
        sbyte[] input = good.GetGoldenInput();
        input[4] ^= 1;
        Model bad = Model.Load(BlobWriter.Write(source, new GoldenVector(good.GetGoldenRawInput(), input, good.GetGoldenOutput())));
        Assert.True(good.SelfTest());
        Assert.False(bad.SelfTest());
    }

    [Theory]
    [InlineData(-128, 127, 1)]
    [InlineData(-32768, 300, 2)]
    [InlineData(-5, 1 << 20, 4)]
    public void TheGoldenRawInputIsStoredAsNarrowAsItFits(int low, int high, int width)
    {
        DeviceModel source = TestModels.Mlp();
        int[] raw = [low, high, 0, -1, 1, low / 2, high / 2];
        byte[] blob = BlobWriter.WriteWithGolden(source, rawInput: raw);
        Model model = Model.Load(blob);

        Assert.Equal(raw, model.GetGoldenRawInput());
        Assert.True(model.SelfTest());
        int golden = BitConverter.ToInt32(blob, BlobFormat.GoldenAt);
        Assert.Equal((BlobFormat.GoldenHasRawInput, width), (BitConverter.ToInt32(blob, golden), BitConverter.ToInt32(blob, golden + 4)));
        // flags, width, the raw values padded to 4, the input's CRC, the 3 outputs padded to 4.
        Assert.Equal(4 + 4 + BlobFormat.Align4(7 * width) + 4 + 4, BitConverter.ToInt32(blob, BlobFormat.DataAt) - golden);
    }

    [Fact]
    public void AnInputOfOneRulePerElementIsStoredAsOneRuleOrOnePerChannel()
    {
        // The CNN's 8×7×2 image: 112 equal rules are one; rules that repeat per channel are two.
        DeviceModel shared = TestModels.Cnn();
        InputRule rule = shared.InputRules[0];
        shared.InputRules.AddRange(Enumerable.Repeat(rule, 111));
        Model one = Model.Load(TestModels.Blob(shared));
        Assert.Equal(1, one.InputRuleCount);

        DeviceModel perChannel = TestModels.Cnn();
        InputRule other = InputRule.For(0.5f, -20, -2, rawOffset: 100);
        perChannel.InputRules.Clear();
        for (int i = 0; i < 112; i++)
        {
            perChannel.InputRules.Add(i % 2 == 0 ? rule : other);
        }

        Model channels = Model.Load(TestModels.Blob(perChannel));
        Assert.Equal(2, channels.InputRuleCount);
        Assert.True(channels.SelfTest());
        for (int i = 0; i < 112; i++)
        {
            channels.SetRawInput(i, 1234);
            one.SetRawInput(i, 1234);
            Assert.Equal(i % 2 == 0 ? one.GetInput(i) : Quantize(other, 1234), channels.GetInput(i));
            Assert.Equal((i % 2 == 0 ? rule : other).RawOffset, channels.GetInputRawOffset(i));
        }

        // Read back on the host, the per-channel rules are one per element again, as the compiler builds them.
        Assert.Equal(perChannel.InputRules, BlobReader.Read(TestModels.Blob(perChannel)).Model.InputRules);
    }

    private static sbyte Quantize(InputRule rule, int raw) =>
        (sbyte)Math.Clamp(QuantEdge.Runtime.FixedPoint.MultiplyByQuantizedMultiplier(raw - rule.RawOffset, rule.Multiplier, rule.Shift) + rule.ZeroPoint, -128, 127);

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
    public void InvokeAccumulators_GivesWhatTheLastLayerRequantizes()
    {
        foreach (DeviceModel source in new[] { TestModels.Mlp(), TestModels.Cnn(WeightLayout.Int64Pairs), ConvolutionLast(weightZeroPoint: 7) })
        {
            Model model = Model.Load(TestModels.Blob(source));
            (ImmutableArray<int> multiplier, ImmutableArray<int> shift, int zeroPoint, int min, int max) = source.Ops[^1] switch
            {
                FullyConnectedRecord fc => (fc.Requantization.Multipliers, fc.Requantization.Shifts, fc.OutputZeroPoint, fc.ActivationMin, fc.ActivationMax),
                Conv2DRecord conv => (conv.Requantization.Multipliers, conv.Requantization.Shifts, conv.OutputZeroPoint, conv.ActivationMin, conv.ActivationMax),
                var op => throw new InvalidOperationException($"{op} has no accumulators"),
            };
            int[] accumulators = new int[model.OutputAccumulatorCount];
            Assert.Equal(model.OutputLength, accumulators.Length);

            model.SetInputs(model.GetGoldenInput());
            model.InvokeAccumulators(accumulators);
            sbyte[] outputs = new sbyte[model.OutputLength];
            model.SetInputs(model.GetGoldenInput());
            model.Invoke();
            model.GetOutputs(outputs);

            int channels = multiplier.Length;
            Assert.Equal(outputs, accumulators.Select((acc, i) => OutputStage.Requantize(acc, multiplier[i % channels], shift[i % channels], zeroPoint, min, max)).ToArray());
            long before = GC.GetAllocatedBytesForCurrentThread();
            model.InvokeAccumulators(accumulators);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }

    [Fact]
    public void InvokeAccumulators_IsRefusedWhenTheLastOpHasNone()
    {
        Model model = Model.Load(TestModels.Blob(TestModels.EveryOp()));
        Assert.Equal(0, model.OutputAccumulatorCount);
        Assert.Throws<InvalidOperationException>(() => model.InvokeAccumulators(new int[model.OutputLength]));
    }

    /// <summary>
    /// A weight zero point travels through the blob (Conv2D's optional 23rd word) and means what it
    /// says: the model computes exactly what the same model with weights w − zp and no zero point does.
    /// </summary>
    [Fact]
    public void ConvolutionWeightZeroPointEqualsShiftedWeights()
    {
        DeviceModel asymmetric = ConvolutionLast(weightZeroPoint: 7);
        DeviceModel shifted = ConvolutionLast(weightZeroPoint: 0, weightShift: 7);
        byte[] asymmetricBlob = TestModels.Blob(asymmetric);
        Assert.Equal(TestModels.Blob(shifted).Length + 4, asymmetricBlob.Length);
        Model a = Model.Load(asymmetricBlob), b = Model.Load(TestModels.Blob(shifted));
        var random = new Random(5);
        for (int trial = 0; trial < 20; trial++)
        {
            sbyte[] input = Enumerable.Range(0, a.InputLength).Select(_ => (sbyte)random.Next(-128, 128)).ToArray();
            a.SetInputs(input);
            b.SetInputs(input);
            a.Invoke();
            b.Invoke();
            Assert.Equal(Enumerable.Range(0, a.OutputLength).Select(b.GetOutput), Enumerable.Range(0, a.OutputLength).Select(a.GetOutput));
        }
    }

    /// <summary>image [1,6,5,3] → Conv2D 3×3 pad 1 stride 2 (4 channels): weights in [−120, 120], stored minus <paramref name="weightShift"/>.</summary>
    private static DeviceModel ConvolutionLast(int weightZeroPoint, int weightShift = 0)
    {
        var random = new Random(9);
        var model = new DeviceModel { Name = "conv-last" };
        int image = model.AddTensor(DeviceTensor.Of("image", [1, 6, 5, 3], 0.02f, 4));
        int conv = model.AddTensor(DeviceTensor.Of("conv", [1, 3, 3, 4], 0.5f, -3));
        model.Input = image;
        model.Output = conv;
        sbyte[] weights = Enumerable.Range(0, 4 * 3 * 3 * 3).Select(_ => (sbyte)(random.Next(-120, 121) - weightShift)).ToArray();
        int[] bias = Enumerable.Range(0, 4).Select(_ => random.Next(-3000, 3000)).ToArray();
        var q = QuantizedMultiplier.FromReal(0.003);
        model.Ops.Add(new Conv2DRecord(image, conv, new DeviceWindow(3, 3, 2, 2, PadTop: 1, PadLeft: 1), 4, [.. weights], [.. bias],
            Requantization.Explicit([q.Multiplier, q.Multiplier, q.Multiplier, q.Multiplier], [q.Shift, q.Shift, q.Shift, q.Shift]), -3, -128, 127)
        {
            WeightZeroPoint = weightZeroPoint,
        });
        model.InputRules.Add(InputRule.For(0.02f, 4, -3));
        return model;
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

        var reshape = source.Ops.OfType<ReshapeRecord>().Single();
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
    private static QuantEdge.Runtime.Kernels.FullyConnectedParams Params(FullyConnectedRecord op, int depth, int outputs, int zeroPoint) => new()
    {
        Batches = 1,
        InputDepth = depth,
        OutputDepth = outputs,
        Weights = ChannelWeights.FromInt8([.. op.Weights], outputs, depth, WeightLayout.Int8Rows),
        Bias = op.Bias.Select((b, o) => b - zeroPoint * op.Weights.Skip(o * depth).Take(depth).Sum(w => w)).ToArray(),
        OutputMultiplier = [.. op.Requantization.Multipliers],
        OutputShift = [.. op.Requantization.Shifts],
        OutputZeroPoint = op.OutputZeroPoint,
        ActivationMin = op.ActivationMin,
        ActivationMax = op.ActivationMax,
    };
}
