using System.Text;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.Quantization;

namespace QuantEdge.DeviceTest.Generation;

/// <summary>
/// The models trained elsewhere (data/models/sklearn: scikit-learn pipelines and a numpy CNN), each quantized on its
/// dataset's train split as <c>quantedge quantize MODEL --calibration DATASET_train.csv</c> does with its defaults,
/// packed in one resource of the device benchmark, which times them whole (the device tests do not run them).
/// The pack (bench/QuantEdge.DeviceBench/ModelPack.cs reads it): an int32 count, then per model an int32 name length,
/// the name in ASCII ("sklearn/" and the file's name), an int32 blob length and the blob; integers little-endian.
/// </summary>
public static class SklearnModels
{
    public const string Resource = "SklearnModels";

    public const string Prefix = "sklearn/";

    public static byte[] Pack(string root)
    {
        string[] files = Directory.GetFiles(Path.Combine(root, "data", "models", "sklearn"), "*.onnx").Order(StringComparer.Ordinal).ToArray();
        using var pack = new MemoryStream();
        using var writer = new BinaryWriter(pack);
        writer.Write(files.Length);
        foreach (string file in files)
        {
            string name = Path.GetFileNameWithoutExtension(file);
            string dataset = name[..name.IndexOf('-')];
            Dataset train = Dataset.Load(Path.Combine(root, "data", dataset + "_train.csv"));
            byte[] blob = Quantizer.Quantize(OnnxImporter.Load(file), train, new QuantizeOptions { ModelName = name }).Blob;
            byte[] ascii = Encoding.ASCII.GetBytes(Prefix + name);
            writer.Write(ascii.Length);
            writer.Write(ascii);
            writer.Write(blob.Length);
            writer.Write(blob);
        }

        writer.Flush();
        return pack.ToArray();
    }

    /// <summary>What a packed model is, for the benchmark's tables.</summary>
    public static string Description(string name) =>
        $"data/models/{name}.onnx, trained elsewhere ({(name.Contains("cnn", StringComparison.Ordinal) ? "numpy" : "scikit-learn")}), quantized on its train split";
}
