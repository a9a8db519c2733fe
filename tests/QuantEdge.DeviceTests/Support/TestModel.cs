namespace QuantEdge.DeviceTests.Support
{
    /// <summary>
    /// The models in the resources (made by tools/DeviceTest generate from the demo's, the regression's and the
    /// anomaly example's ONNX models, the benchmarks' CNN and the runtime tests' TestModels): each a blob and a rows file of raw inputs with
    /// the int8 outputs the .NET build of the runtime computed for them.
    /// </summary>
    internal static class TestModel
    {
        public static Resources.BinaryResources Blob(string name)
        {
            switch (name)
            {
                case "DemoMlp": return Resources.BinaryResources.DemoMlpBlob;
                case "Cnn": return Resources.BinaryResources.CnnBlob;
                case "CnnSmallRam": return Resources.BinaryResources.CnnSmallRamBlob;
                case "EveryOpInt8Rows": return Resources.BinaryResources.EveryOpInt8RowsBlob;
                case "EveryOpInt64Pairs": return Resources.BinaryResources.EveryOpInt64PairsBlob;
                case "SmallCnnInt64Pairs": return Resources.BinaryResources.SmallCnnInt64PairsBlob;
                case "SensorMlp": return Resources.BinaryResources.SensorMlpBlob;
                case "PetalWidthMlp": return Resources.BinaryResources.PetalWidthMlpBlob;
                case "RadarAutoencoder": return Resources.BinaryResources.RadarAutoencoderBlob;
                case "NewerOps": return Resources.BinaryResources.NewerOpsBlob;
                case "StreamedMlp": return Resources.BinaryResources.StreamedMlpBlob;
                default: throw new System.ArgumentException("no model " + name);
            }
        }

        public static Resources.BinaryResources Rows(string name)
        {
            switch (name)
            {
                case "DemoMlp": return Resources.BinaryResources.DemoMlpRows;
                case "Cnn": return Resources.BinaryResources.CnnRows;
                case "CnnSmallRam": return Resources.BinaryResources.CnnSmallRamRows;
                case "EveryOpInt8Rows": return Resources.BinaryResources.EveryOpInt8RowsRows;
                case "EveryOpInt64Pairs": return Resources.BinaryResources.EveryOpInt64PairsRows;
                case "SmallCnnInt64Pairs": return Resources.BinaryResources.SmallCnnInt64PairsRows;
                case "SensorMlp": return Resources.BinaryResources.SensorMlpRows;
                case "PetalWidthMlp": return Resources.BinaryResources.PetalWidthMlpRows;
                case "RadarAutoencoder": return Resources.BinaryResources.RadarAutoencoderRows;
                case "NewerOps": return Resources.BinaryResources.NewerOpsRows;
                case "StreamedMlp": return Resources.BinaryResources.StreamedMlpRows;
                default: throw new System.ArgumentException("no model " + name);
            }
        }
    }
}
