using Google.Protobuf;
using Onnx;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Onnx;

namespace QuantEdge.Compiler.Tests.Onnx;

/// <summary>Reading initializer data in each encoding ONNX allows, and the builder's round trip.</summary>
public class OnnxTensorsTests
{
    private static TensorProto Tensor(TensorProto.Types.DataType type, params long[] dims)
    {
        var tensor = new TensorProto { Name = "t", DataType = (int)type };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    [Fact]
    public void TypedFieldsAreRead()
    {
        TensorProto floats = Tensor(TensorProto.Types.DataType.Float, 2);
        floats.FloatData.AddRange([1.5f, -2f]);
        Assert.Equal([1.5f, -2f], OnnxTensors.Read(floats, null, "t").Floats!);

        TensorProto doubles = Tensor(TensorProto.Types.DataType.Double, 1);
        doubles.DoubleData.Add(0.25);
        Assert.Equal([0.25f], OnnxTensors.Read(doubles, null, "t").Floats!);

        TensorProto halves = Tensor(TensorProto.Types.DataType.Float16, 1);
        halves.Int32Data.Add(BitConverter.HalfToUInt16Bits((Half)(-3.5f)));
        Assert.Equal([-3.5f], OnnxTensors.Read(halves, null, "t").Floats!);

        TensorProto longs = Tensor(TensorProto.Types.DataType.Int64, 3);
        longs.Int64Data.AddRange([0, -1, 1L << 40]);
        Assert.Equal([0, -1, 1L << 40], OnnxTensors.Read(longs, null, "t").Integers!);

        TensorProto int8 = Tensor(TensorProto.Types.DataType.Int8, 2);
        int8.Int32Data.AddRange([-128, 127]);
        Assert.Equal([-128L, 127L], OnnxTensors.Read(int8, null, "t").Integers!);
    }

    [Fact]
    public void BuilderWritesRawLittleEndianDataThatReadsBack()
    {
        Assert.Equal([1f, -0.5f, 3e-8f], OnnxTensors.Read(OnnxTensors.Create("t", [3], [1f, -0.5f, 3e-8f]), null, "t").Floats!);
        Assert.Equal([-5L, 7L], OnnxTensors.Read(OnnxTensors.Create("t", [2], [-5L, 7L]), null, "t").Integers!);
        Assert.Equal([-128L, 5L], OnnxTensors.Read(OnnxTensors.Create("t", [2], [(sbyte)-128, (sbyte)5]), null, "t").Integers!);
        Assert.Equal([255L, 0L], OnnxTensors.Read(OnnxTensors.Create("t", [2], [(byte)255, (byte)0]), null, "t").Integers!);
        Assert.Equal([int.MinValue, 9L], OnnxTensors.Read(OnnxTensors.Create("t", [2], [int.MinValue, 9]), null, "t").Integers!);
    }

    [Fact]
    public void ElementCountMustMatchTheDims()
    {
        TensorProto floats = Tensor(TensorProto.Types.DataType.Float, 2, 2);
        floats.FloatData.AddRange([1f, 2f, 3f]);
        Assert.Contains("has 3 elements but its dims [2, 2] need 4", Assert.Throws<OnnxImportException>(() => OnnxTensors.Read(floats, null, "t")).Message);

        TensorProto raw = Tensor(TensorProto.Types.DataType.Float, 1);
        raw.RawData = ByteString.CopyFrom(1, 2, 3);
        Assert.Contains("not a whole number of 4-byte elements", Assert.Throws<OnnxImportException>(() => OnnxTensors.Read(raw, null, "t")).Message);
    }

    [Fact]
    public void StringTensorsAreRefused()
    {
        Assert.Contains("String", Assert.Throws<OnnxImportException>(() => OnnxTensors.Read(Tensor(TensorProto.Types.DataType.String, 1), null, "t")).Message);
    }

    [Fact]
    public void ExternalDataIsReadNextToTheModelFile()
    {
        string folder = Directory.CreateTempSubdirectory("quantedge-external-").FullName;
        try
        {
            float[] weights = [0.5f, -1f, 2f, 0.25f, 1f, -0.75f];
            var data = new byte[8 + weights.Length * 4];
            Buffer.BlockCopy(weights, 0, data, 8, weights.Length * 4);
            File.WriteAllBytes(Path.Combine(folder, "weights.bin"), data);

            var model = ModelProto.Parser.ParseFrom(new OnnxModelBuilder(13)
                .Input("x", 1, 2)
                .Initializer("W", [3, 2], new float[6])
                .Node("Gemm", ["x", "W"], ["y"], a => a.Int("transB", 1))
                .Output("y", 1, 3)
                .ToBytes());
            TensorProto w = model.Graph.Initializer[0];
            w.ClearRawData();
            w.DataLocation = TensorProto.Types.DataLocation.External;
            w.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });
            w.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = "8" });
            w.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = "24" });
            string path = Path.Combine(folder, "model.onnx");
            File.WriteAllBytes(path, model.ToByteArray());

            DenseNode dense = Assert.IsType<DenseNode>(Assert.Single(OnnxImporter.Load(path).Nodes));
            Assert.Equal(weights, dense.Weights.Data);
            Assert.Contains("needs the model loaded from a path", Assert.Throws<OnnxImportException>(() => OnnxImporter.Load(model.ToByteArray())).Message);

            w.ExternalData[0].Value = "../outside.bin";
            File.WriteAllBytes(path, model.ToByteArray());
            Assert.Contains("outside the model's folder", Assert.Throws<OnnxImportException>(() => OnnxImporter.Load(path)).Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void SavedModelLoadsFromItsPath()
    {
        string path = Path.Combine(Path.GetTempPath(), $"quantedge-{Guid.NewGuid():N}.onnx");
        try
        {
            new OnnxModelBuilder(13).Input("x", 1, 3).Node("Sigmoid", ["x"], ["y"]).Output("y", 1, 3).Save(path);
            Assert.IsType<SigmoidNode>(Assert.Single(OnnxImporter.Load(path).Nodes));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void BuilderWritesOpsetIrVersionAndProducer()
    {
        var model = ModelProto.Parser.ParseFrom(new OnnxModelBuilder(17).ImportOpset("com.microsoft", 1).Input("x", 1).Node("Relu", ["x"], ["y"]).Output("y", 1).ToBytes());
        Assert.Equal(8, model.IrVersion);
        Assert.Equal("QuantEdge", model.ProducerName);
        Assert.Equal([("", 17L), ("com.microsoft", 1L)], model.OpsetImport.Select(o => (o.Domain, o.Version)));
        Assert.Equal("Relu_0", model.Graph.Node[0].Name);
    }
}
