namespace QuantEdge.Compiler.Blob;

/// <summary>Where each tensor lives in the arena, and how large the arena is.</summary>
public sealed record ArenaPlan(int[] Offsets, int ArenaBytes);

/// <summary>
/// Liveness-based arena planning, as TFLM's greedy planner does it: a tensor is live from the op
/// that writes it (the model input: from the start) to the last op that reads it (the model output:
/// to the end). Buffers are placed largest first, each at the lowest offset where it overlaps no
/// already-placed buffer live at the same time. So the arena is close to the peak of simultaneously
/// live tensors, not their sum. A Reshape, and an element-wise op on an input that dies there, share
/// their input's bytes (in place), which the device runtime allows for exactly those ops.
/// </summary>
public static class ArenaPlanner
{
    /// <summary>
    /// Plans the arena. With <paramref name="shareBytes"/> false every tensor gets bytes of its own,
    /// so all of them can be read after an inference (per-layer debugging on the host).
    /// </summary>
    public static ArenaPlan Plan(DeviceModel model, bool shareBytes = true)
    {
        if (!shareBytes)
        {
            return Separate(model);
        }

        int count = model.Tensors.Count;
        int[] first = Enumerable.Repeat(int.MaxValue, count).ToArray();
        int[] last = Enumerable.Repeat(-1, count).ToArray();
        first[model.Input] = -1;
        for (int i = 0; i < model.Ops.Count; i++)
        {
            DeviceOp op = model.Ops[i];
            first[op.OutputTensor] = Math.Min(first[op.OutputTensor], i);
            last[op.OutputTensor] = Math.Max(last[op.OutputTensor], i);
            foreach (int input in op.InputTensors)
            {
                last[input] = Math.Max(last[input], i);
            }
        }

        last[model.Output] = model.Ops.Count;

        // Buffers: a tensor, or a group of tensors sharing bytes (in-place ops).
        int[] buffer = Enumerable.Range(0, count).ToArray();
        for (int i = 0; i < model.Ops.Count; i++)
        {
            DeviceOp op = model.Ops[i];
            if (op.CanRunInPlace)
            {
                int input = op.InputTensors[0];
                if (last[input] == i && input != model.Input && model.Tensors[input].Elements == model.Tensors[op.OutputTensor].Elements)
                {
                    buffer[op.OutputTensor] = Root(buffer, input);
                }
            }
        }

        var groups = Enumerable.Range(0, count)
            .Where(t => first[t] != int.MaxValue)
            .GroupBy(t => Root(buffer, t))
            .Select(g => (
                Tensors: g.ToArray(),
                Size: g.Max(t => model.Tensors[t].Elements),
                First: g.Min(t => first[t]),
                Last: g.Max(t => Math.Max(last[t], first[t]))))
            .OrderByDescending(g => g.Size).ThenBy(g => g.First)
            .ToList();

        int[] offsets = new int[count];
        var placed = new List<(int Offset, int Size, int First, int Last)>();
        foreach (var g in groups)
        {
            int offset = 0;
            foreach (var p in placed.Where(p => p.First <= g.Last && g.First <= p.Last).OrderBy(p => p.Offset))
            {
                if (offset + g.Size <= p.Offset)
                {
                    break;
                }

                offset = Math.Max(offset, p.Offset + p.Size);
            }

            placed.Add((offset, g.Size, g.First, g.Last));
            foreach (int t in g.Tensors)
            {
                offsets[t] = offset;
            }
        }

        int arena = Enumerable.Range(0, count).Where(t => first[t] != int.MaxValue)
            .Select(t => offsets[t] + model.Tensors[t].Elements).DefaultIfEmpty(0).Max();
        return new ArenaPlan(offsets, arena);
    }

    private static ArenaPlan Separate(DeviceModel model)
    {
        int[] offsets = new int[model.Tensors.Count];
        int next = 0;
        for (int t = 0; t < offsets.Length; t++)
        {
            offsets[t] = next;
            next += model.Tensors[t].Elements;
        }

        return new ArenaPlan(offsets, next);
    }

    private static int Root(int[] buffer, int t)
    {
        while (buffer[t] != t)
        {
            t = buffer[t];
        }

        return t;
    }
}
