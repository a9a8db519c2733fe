using QuantEdge.Compiler.Blob;
using QuantEdge.Runtime;

namespace QuantEdge.Bench;

/// <summary>One layer of a blob, run on its own by QuantEdge's host runtime.</summary>
internal sealed record LayerTime(int Index, DeviceOp Op, int[] InputDims, int[] OutputDims, long Macs, Contender Contender);

/// <summary>
/// Each layer of a blob alone, to be timed: every op becomes a one-op blob (its input tensor as the
/// model input) loaded by the runtime, so a layer's time is its kernel plus one Invoke. A layer is fed
/// the values it sees inside the model for each sample (read from a copy of the model whose tensors
/// keep their own bytes): the kernels branch on the data (requantization, max pooling), so random or
/// repeated inputs would misstate them.
/// </summary>
internal static class LayerTiming
{
    public static IReadOnlyList<LayerTime> Prepare(byte[] blob, sbyte[][] modelInputs)
    {
        DeviceModelBlob contents = BlobReader.Read(blob);
        DeviceModel model = contents.Model;
        Model everyTensor = Model.Load(BlobWriter.Write(model, contents.Golden, shareArena: false));
        sbyte[][][] values = modelInputs.Select(input =>
        {
            everyTensor.SetInputs(input);
            everyTensor.Invoke();
            return model.Tensors.Select((t, index) =>
            {
                var tensor = new sbyte[t.Elements];
                everyTensor.ReadTensor(index, tensor);
                return tensor;
            }).ToArray();
        }).ToArray();

        var layers = new List<LayerTime>();
        for (int i = 0; i < model.Ops.Count; i++)
        {
            DeviceOp op = model.Ops[i];
            int input = op.InputTensors[0];
            DeviceTensor x = model.Tensors[input], y = model.Tensors[op.OutputTensor];
            Model single = Model.Load(SingleOpBlob(op, x, y));
            layers.Add(new LayerTime(i, op, [.. x.Dims], [.. y.Dims], single.Macs, new Contender($"op {i}", s =>
            {
                single.SetInputs(values[s][input]);
                single.Invoke();
            })));
        }

        return layers;
    }

    private static byte[] SingleOpBlob(DeviceOp op, DeviceTensor x, DeviceTensor y)
    {
        var model = new DeviceModel { Input = 0, Output = 1 };
        model.AddTensor(x);
        model.AddTensor(y);
        model.InputRules.Add(InputRule.For(x.Scale, x.ZeroPoint, 0));
        model.Ops.Add(op switch
        {
            FullyConnectedRecord fc => fc with { Input = 0, Output = 1 },
            Conv2DRecord conv => conv with { Input = 0, Output = 1 },
            DepthwiseConv2DRecord depthwise => depthwise with { Input = 0, Output = 1 },
            Pool2DRecord pool => pool with { Input = 0, Output = 1 },
            GlobalAveragePoolRecord pool => pool with { Input = 0, Output = 1 },
            LookupRecord lookup => lookup with { Input = 0, Output = 1 },
            SoftmaxRecord softmax => softmax with { Input = 0, Output = 1 },
            ReshapeRecord reshape => reshape with { Input = 0, Output = 1 },
            _ => throw new NotSupportedException($"timing a {op.GetType().Name} alone"),
        });
        return BlobWriter.Write(model, new GoldenVector(null, new sbyte[x.Elements], new sbyte[y.Elements]));
    }
}
