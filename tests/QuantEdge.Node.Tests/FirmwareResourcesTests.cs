using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Deployment;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.Quantization;
using QuantEdge.Node.Config;
using QuantEdge.Runtime;

namespace QuantEdge.Node.Tests;

/// <summary>
/// The model and node.bin the firmware embeds (src/QuantEdge.Firmware/Resources) are what the host
/// makes of the committed sources, so they cannot drift: regenerate them with
/// <c>quantedge quantize data/models/iris-mlp.onnx --calibration data/iris_train.csv --classes setosa,versicolor,virginica --out /tmp/iris.qem</c>,
/// <c>quantedge node pack src/QuantEdge.Firmware/node.json --board esp32-devkitc-v4 --model /tmp/iris.qem --out /tmp/node.bin</c>,
/// <c>quantedge export /tmp/iris.qem --node /tmp/node.bin --resx src/QuantEdge.Firmware</c>.
/// </summary>
public class FirmwareResourcesTests
{
    private static string Repo(params string[] parts) => Path.Combine([RepositoryRoot(), .. parts]);

    [Fact]
    public void TheEmbeddedModelIsTheBundledIrisModelQuantized()
    {
        Dataset train = Dataset.Load(Repo("data", "iris_train.csv"));
        byte[] blob = Quantizer.Quantize(OnnxImporter.Load(Repo("data", "models", "iris-mlp.onnx")), train,
            new QuantizeOptions { ModelName = "iris-mlp", OutputNames = IrisModel.Classes }).Blob;

        Assert.Equal(blob, File.ReadAllBytes(Repo("src", "QuantEdge.Firmware", "Resources", "model.qem")));
    }

    [Fact]
    public void TheEmbeddedNodeIsTheSampleNodePackedAndTheDeviceReadsIt()
    {
        byte[] blob = File.ReadAllBytes(Repo("src", "QuantEdge.Firmware", "Resources", "model.qem"));
        NodeSpec spec = NodeSpecReader.Load(Repo("src", "QuantEdge.Firmware", "node.json"));
        PackedNode packed = NodePacker.Pack(spec, BoardLoader.Load(Repo("boards", "esp32-devkitc-v4.json")), ModelDescription.Of(blob), "model.qem");
        Assert.Empty(packed.Warnings);

        byte[] embedded = File.ReadAllBytes(Repo("src", "QuantEdge.Firmware", "Resources", "node.bin"));
        Assert.Equal(packed.Bytes, embedded);

        NodeConfig config = NodeConfig.Parse(embedded);
        config.CheckModel(Model.Load(blob));
        Assert.Equal([0, 3, 4, 5], config.Inputs.Select(i => i.Source));
        Assert.Equal([25, 26, 27], config.Outputs.Select(o => o.Gpio));
        Assert.Equal((23, 2, 1000), (config.StatusLedGpio, config.Hysteresis, config.SamplePeriodMs));
        // An ADC count of 2000 is 4.000 cm: 4000 in the first feature's 10^-3 units.
        Assert.Equal(4000, config.Inputs[0].Scale(2000));
    }

    private static string RepositoryRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir != null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "QuantEdge.sln")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException("not inside the repository");
    }
}
