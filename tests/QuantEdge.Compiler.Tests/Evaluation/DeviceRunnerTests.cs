using QuantEdge.Compiler.Evaluation;
using QuantEdge.Runtime;
using QuantEdge.Runtime.Tests;

namespace QuantEdge.Compiler.Tests.Evaluation;

public class DeviceRunnerTests
{
    /// <summary>
    /// The test MLP's golden vector was made from known raw integers (TestModels.RawInput) in units of
    /// 10^0 and 10^-3 per feature. Those raw values written as real feature values (raw × 10^unit)
    /// convert back to the same raw integers on the host, and running them gives the golden output.
    /// </summary>
    [Fact]
    public void RealFeatureValuesReproduceTheGoldenVector()
    {
        Model model = Model.Load(TestModels.Blob(TestModels.Mlp()));
        int[] raw = model.GetGoldenRawInput();
        Assert.Contains(Enumerable.Range(0, raw.Length), i => model.GetInputUnitExponent(i) == -3);
        float[] features = raw.Select((r, i) => (float)(r * Math.Pow(10, model.GetInputUnitExponent(i)))).ToArray();

        Assert.Equal(raw, DeviceRunner.RawInputs(model, features));
        Prediction prediction = DeviceRunner.Run(model, features);

        sbyte[] golden = model.GetGoldenOutput();
        double scale = BitConverter.Int32BitsToSingle(model.OutputTensor.ScaleBits);
        Assert.Equal(golden.Select(q => (q - model.OutputTensor.ZeroPoint) * scale), prediction.Outputs);
        Assert.Equal(Array.IndexOf(golden, golden.Max()), prediction.Class);
    }
}
