using System;
using QuantEdge.Runtime;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.DeviceBench
{
    /// <summary>
    /// Prints, one line each, the time of a naive int8 loop, of each kernel and of each model (fastest of
    /// five rounds, taken in turns), then the heap that probe objects and loaded models take, and "bench,done" last: the
    /// interpreter's exit code is 0 whatever happens, so tools/device-test --bench needs that line to
    /// know the run finished. The host turns the lines into the report; nothing here judges the numbers.
    /// </summary>
    public static class Program
    {
        public static void Main()
        {
            Workload[] workloads =
            {
                new NaiveLoop(),
                new FullyConnectedWorkload(WeightLayout.Int8Rows),
                new FullyConnectedWorkload(WeightLayout.Int64Pairs),
                new Conv2DWorkload(WeightLayout.Int8Rows),
                new Conv2DWorkload(WeightLayout.Int64Pairs),
                new DepthwiseWorkload(),
                new PoolWorkload(false),
                new PoolWorkload(true),
                new GlobalAveragePoolWorkload(),
                new ElementwiseWorkload(true),
                new ElementwiseWorkload(false),
                new SoftmaxWorkload(),
                new LookupWorkload(),
                new ModelWorkload("DemoMlp", Model.Load(Resources.GetBytes(Resources.BinaryResources.DemoMlpBlob))),
                new ModelWorkload("Cnn", Model.Load(Resources.GetBytes(Resources.BinaryResources.CnnBlob))),
                new NodeWakeWorkload(Resources.GetBytes(Resources.BinaryResources.SampleNodeModel), Resources.GetBytes(Resources.BinaryResources.SampleNodeConfig)),
            };
            int[] runs = new int[workloads.Length];
            long[] ticks = new long[workloads.Length];
            Timing.MeasureAll(workloads, runs, ticks);
            for (int w = 0; w < workloads.Length; w++)
            {
                string kind = workloads[w] is NaiveLoop ? "naive" : workloads[w] is ModelWorkload ? "model" : workloads[w] is NodeWakeWorkload ? "node" : "kernel";
                // "bench,<kind>,<name>,<unit>,<units per run>,<runs per round>,<fastest round in ticks>"
                Console.WriteLine("bench," + kind + "," + workloads[w].Name + "," + workloads[w].Unit + "," + workloads[w].Units.ToString() + "," +
                    runs[w].ToString() + "," + ticks[w].ToString());
            }

            workloads = null;
            HeapProbe.PrintProbes();
            string[] names = { "DemoMlp", "Cnn", "EveryOpInt8Rows", "EveryOpInt64Pairs", "SmallCnnInt64Pairs", "SensorMlp" };
            Resources.BinaryResources[] blobs =
            {
                Resources.BinaryResources.DemoMlpBlob, Resources.BinaryResources.CnnBlob, Resources.BinaryResources.EveryOpInt8RowsBlob,
                Resources.BinaryResources.EveryOpInt64PairsBlob, Resources.BinaryResources.SmallCnnInt64PairsBlob, Resources.BinaryResources.SensorMlpBlob,
            };
            for (int i = 0; i < names.Length; i++)
            {
                HeapProbe.PrintModel(names[i], Resources.GetBytes(blobs[i]));
            }

            Console.WriteLine("bench,done");
        }
    }
}
