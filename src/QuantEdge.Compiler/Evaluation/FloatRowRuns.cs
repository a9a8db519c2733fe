using System.Runtime.ExceptionServices;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Graph;

namespace QuantEdge.Compiler.Evaluation;

/// <summary>
/// The float model over a dataset's rows, for an observer that must see the rows one by one and in order (calibration's
/// statistics: their sums, and the reservoir sample's random draws, depend on the order). The model runs ahead of the
/// observer: a block of rows at a time, shared out over the host's cores (a <see cref="FloatExecutor"/> each), every
/// value of a row copied out as it is computed; the next block runs while the observer goes through this one. The
/// observer sees exactly what one executor run row after row would show it, value for value.
/// </summary>
public sealed class FloatRowRuns
{
    /// <summary>At most about this many bytes of values per block (a large model's rows are held fewer at a time).</summary>
    private const long BlockBytes = 8 << 20;

    private const int MaxBlockRows = 64;

    private readonly Dataset data;
    private readonly FloatExecutor[] executors;
    private readonly int blockRows;
    private Block? current;
    private Block? spare;
    private Task<Block>? ahead;

    public FloatRowRuns(ModelGraph graph, Dataset data)
    {
        this.data = data;
        executors = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => new FloatExecutor(graph)).ToArray();
        long rowBytes = graph.ValueShapes.Sum(v => (long)FloatTensor.ElementCount(v.Value)) * sizeof(float);
        blockRows = (int)Math.Clamp(BlockBytes / Math.Max(1, rowBytes), 1, MaxBlockRows);
    }

    /// <summary>
    /// Shows <paramref name="observer"/> every value of row <paramref name="row"/> (each graph input, then each node's output, in
    /// graph order, as <see cref="FloatExecutor.Run(float[], ValueObserver?)"/> does). Rows are asked for in order, from 0.
    /// </summary>
    public void Observe(int row, ValueObserver observer)
    {
        int end = current == null ? 0 : current.First + current.Count;
        if (row >= end)
        {
            if (row != end)
            {
                throw new InvalidOperationException($"rows are observed in order: row {end} next, not {row}");
            }

            Advance(end);
        }

        foreach ((string name, int[] shape, float[] values) in current!.Rows[row - current.First])
        {
            observer(name, shape, values);
        }
    }

    /// <summary>Makes the block that starts at <paramref name="first"/> the current one, and starts running the one after it.</summary>
    private void Advance(int first)
    {
        if (ahead != null)
        {
            Block done = ahead.GetAwaiter().GetResult();
            spare = current;
            current = done;
        }
        else
        {
            current = new Block(blockRows);
            current.Run(executors, data, first, Math.Min(blockRows, data.Count - first));
        }

        int next = current.First + current.Count;
        ahead = null;
        if (next < data.Count)
        {
            Block buffer = spare ?? new Block(blockRows);
            spare = null;
            ahead = Task.Run(() =>
            {
                buffer.Run(executors, data, next, Math.Min(blockRows, data.Count - next));
                return buffer;
            });
        }
    }

    /// <summary>The values of a block of rows, per row in the order the executor showed them; the arrays are reused by the next block it holds.</summary>
    private sealed class Block(int size)
    {
        public List<(string Name, int[] Shape, float[] Values)>[] Rows { get; } = Enumerable.Range(0, size).Select(_ => new List<(string, int[], float[])>()).ToArray();

        public int First { get; private set; }

        public int Count { get; private set; }

        public void Run(FloatExecutor[] executors, Dataset data, int first, int count)
        {
            (First, Count) = (first, count);
            int parts = Math.Min(executors.Length, count);
            try
            {
                Parallel.For(0, parts, part =>
                {
                    for (int i = part * count / parts; i < (part + 1) * count / parts; i++)
                    {
                        List<(string Name, int[] Shape, float[] Values)> row = Rows[i];
                        int k = 0;
                        executors[part].Run(data.Features[first + i], (name, shape, values) =>
                        {
                            // Every row shows the same values in the same order (one graph): slot k always holds the same value.
                            if (k == row.Count)
                            {
                                row.Add((name, shape, new float[values.Length]));
                            }

                            values.CopyTo(row[k++].Values);
                        });
                    }
                });
            }
            catch (AggregateException e)
            {
                ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
        }
    }
}
