using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.Quantization;
using QuantEdge.Runtime;

namespace QuantEdge.Compiler.Tests.Quantization;

public class ModelTasksTests
{
    private static OnnxModelBuilder Dense(int outputs) => new OnnxModelBuilder(13)
        .Input("x", "batch", 4)
        .Initializer("W", [4, outputs], Enumerable.Range(0, 4 * outputs).Select(i => (i % 7 - 3) / 10f).ToArray())
        .Node("MatMul", ["x", "W"], ["y"]);

    [Fact]
    public void ASoftmaxOrSeveralOutputsIsAClassifierOneOutputARegression()
    {
        Assert.Equal(ModelTask.Classification, ModelTasks.Infer(OnnxImporter.Load(Dense(3).Node("Softmax", ["y"], ["p"], a => a.Int("axis", 1)).Output("p", "batch", 3).ToBytes())));
        Assert.Equal(ModelTask.Classification, ModelTasks.Infer(OnnxImporter.Load(Dense(3).Output("y", "batch", 3).ToBytes())));
        Assert.Equal(ModelTask.Regression, ModelTasks.Infer(OnnxImporter.Load(Dense(1).Output("y", "batch", 1).ToBytes())));
    }

    [Fact]
    public void WhatTheMetadataStatesWinsOverTheGraphsShape()
    {
        var anomaly = OnnxImporter.Load(Dense(1).Output("y", "batch", 1).Metadata(ModelTasks.MetadataKey, "anomaly").ToBytes());
        var regression = OnnxImporter.Load(Dense(3).Output("y", "batch", 3).Metadata(ModelTasks.MetadataKey, "Regression")
            .Metadata("output_names", "[\"a\",\"b\",\"c\"]").ToBytes());
        var unknown = OnnxImporter.Load(Dense(1).Output("y", "batch", 1).Metadata(ModelTasks.MetadataKey, "forecast").Metadata("output_names", "not json").ToBytes());

        Assert.Equal(ModelTask.Anomaly, ModelTasks.Infer(anomaly));
        Assert.Equal(ModelTask.Regression, ModelTasks.Infer(regression));
        Assert.Equal(["a", "b", "c"], ModelTasks.StatedOutputNames(regression)!);
        Assert.Equal(ModelTask.Regression, ModelTasks.Infer(unknown));
        Assert.Null(ModelTasks.StatedOutputNames(unknown));
    }

    [Fact]
    public void TheQuantizerRecordsTheTaskItInferredOrWasGiven()
    {
        var graph = OnnxImporter.Load(Dense(1).Output("y", "batch", 1).ToBytes());
        var rows = new Data.Dataset(["a", "b", "c", "d"], Enumerable.Range(0, 20).Select(i => new float[] { i, -i, i % 3, 1 }).ToArray(), null, "rows");

        Assert.Equal(ModelTask.Regression, Model.Load(Quantizer.Quantize(graph, rows, new QuantizeOptions()).Blob).Task);
        Assert.Equal(ModelTask.Anomaly, Model.Load(Quantizer.Quantize(graph, rows, new QuantizeOptions { Task = ModelTask.Anomaly }).Blob).Task);
    }
}
