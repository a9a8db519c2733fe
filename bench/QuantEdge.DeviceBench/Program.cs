using System;
using QuantEdge.Runtime;
using QuantEdge.Runtime.Native;

namespace QuantEdge.DeviceBench
{
    /// <summary>
    /// Prints, one line each, the time of a naive int8 loop, of each kernel and of each model (fastest of
    /// fifteen rounds, taken in turns), then the heap that probe objects and loaded models take, and "bench,done" last: the
    /// interpreter's exit code is 0 whatever happens, so tools/device-test --bench needs that line to
    /// know the run finished. The host turns the lines into the report; nothing here judges the numbers.
    /// </summary>
    public static class Program
    {
        public static void Main()
        {
            // The managed kernels always; on a nanoCLR built with the native ones (tools/device-test --bench --native),
            // the same layers and models on those too, timed in the same rounds. Models on the managed path are loaded
            // with the native kernels declined, so that both paths are measured on the same interpreter.
            bool native = NativeKernels.Available();
            // The bundled models, by the names the report describes them by (tools/DeviceTest's ModelCases.Descriptions).
            // Then the models trained elsewhere (data/models/sklearn), packed in one resource.
            string[] bundled = { "DemoMlp", "IrisMlp", "PetalWidthMlp", "RadarAutoencoder", "Cnn", "StreamedMlp" };
            Resources.BinaryResources[] ids =
            {
                Resources.BinaryResources.DemoMlpBlob, Resources.BinaryResources.SampleNodeModel, Resources.BinaryResources.PetalWidthMlpBlob,
                Resources.BinaryResources.RadarAutoencoderBlob, Resources.BinaryResources.CnnBlob, Resources.BinaryResources.StreamedMlpBlob,
            };
            ModelPack.Read(Resources.GetBytes(Resources.BinaryResources.SklearnModels), out string[] packedNames, out byte[][] packedBlobs);
            string[] models = new string[bundled.Length + packedNames.Length];
            byte[][] blobs = new byte[models.Length][];
            for (int m = 0; m < models.Length; m++)
            {
                bool packed = m >= bundled.Length;
                models[m] = packed ? packedNames[m - bundled.Length] : bundled[m];
                blobs[m] = packed ? packedBlobs[m - bundled.Length] : Resources.GetBytes(ids[m]);
            }

            // Streamed weights read from a resource, one ResourceUtility.GetObject per row (any 16 KB of bytes serve as weights).
            Workload fromResource = new FullyConnectedWorkload(256, 64,
                new QuantEdge.DeviceTests.Support.ResourceSource(Resources.ResourceManager, Resources.BinaryResources.StreamedMlpBlob, 256 * 64));
            Workload[] managed = Workload.Join(Workload.Join(new Workload[] { new NaiveLoop() }, KernelWorkloads.All(false)), new Workload[] { fromResource });
            Workload node = new NodeWakeWorkload(Resources.GetBytes(Resources.BinaryResources.SampleNodeModel), Resources.GetBytes(Resources.BinaryResources.SampleNodeConfig));
            managed = Workload.Join(Workload.Join(managed, new Workload[] { node }), ModelWorkload.All(models, blobs, false));
            Workload[] workloads = native ? Workload.Join(managed, NativeWorkloads.All(models, blobs)) : managed;
            int[] runs = new int[workloads.Length];
            long[] ticks = new long[workloads.Length];
            Timing.MeasureAll(workloads, runs, ticks);
            for (int w = 0; w < workloads.Length; w++)
            {
                // "bench,<kind>,<name>,<unit>,<units per run>,<runs per round>,<fastest round in ticks>"
                Console.WriteLine("bench," + Kind(workloads[w]) + "," + workloads[w].Name + "," + workloads[w].Unit + "," + workloads[w].Units.ToString() + "," +
                    runs[w].ToString() + "," + ticks[w].ToString());
            }

            workloads = null;
            HeapProbe.PrintProbes();
            string[] names = { "DemoMlp", "Cnn", "CnnSmallRam", "EveryOpInt8Rows", "EveryOpInt64Pairs", "SmallCnnInt64Pairs", "SensorMlp", "PetalWidthMlp", "RadarAutoencoder", "StreamedMlp" };
            Resources.BinaryResources[] resources =
            {
                Resources.BinaryResources.DemoMlpBlob, Resources.BinaryResources.CnnBlob, Resources.BinaryResources.CnnSmallRamBlob, Resources.BinaryResources.EveryOpInt8RowsBlob,
                Resources.BinaryResources.EveryOpInt64PairsBlob, Resources.BinaryResources.SmallCnnInt64PairsBlob, Resources.BinaryResources.SensorMlpBlob,
                Resources.BinaryResources.PetalWidthMlpBlob, Resources.BinaryResources.RadarAutoencoderBlob, Resources.BinaryResources.StreamedMlpBlob,
            };
            for (int i = 0; i < names.Length; i++)
            {
                HeapProbe.PrintModel(names[i], Resources.GetBytes(resources[i]));
            }

            Console.WriteLine("bench,done");
        }

        /// <summary>naive, kernel, model, node; native (a native kernel) and native-model.</summary>
        private static string Kind(Workload workload)
        {
            bool native = NativeWorkloads.IsNative(workload);
            return workload is NaiveLoop ? "naive" : workload is ModelWorkload ? (native ? "native-model" : "model")
                : workload is NodeWakeWorkload ? "node" : native ? "native" : "kernel";
        }

    }
}
