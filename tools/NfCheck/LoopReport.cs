using System.Globalization;
using System.Reflection;
using System.Reflection.Metadata;
using System.Text;

namespace QuantEdge.NfCheck;

/// <summary>
/// One innermost loop: IL offsets [<see cref="Start"/>, <see cref="End"/>] run once per iteration
/// (<see cref="Start"/> is the target of the backward branch at <see cref="End"/>).
/// </summary>
public sealed record LoopCost(MethodDefinitionHandle Handle, string Method, string? Source, int Start, int End, int Instructions, int Macs)
{
    public double? IlPerMac => Macs == 0 ? null : (double)Instructions / Macs;
}

/// <summary>
/// What the kernels' innermost loops cost on the nanoCLR, whose speed tracks the number of IL
/// instructions executed (nanoframework-facts.md §7): instructions per multiply-accumulate.
/// </summary>
public static class LoopReport
{
    public const string Legend =
        "IL      instructions in the loop, from the target of its backward branch to the branch: one iteration\n" +
        "MACs    mul instructions in the loop with an operand loaded from an array (weights or inputs; index\n" +
        "        arithmetic does not count); one whose array operand is ldelem.i8 counts 2, because the\n" +
        "        Int64Pairs layout packs two channels' weights into one 64-bit element (a heuristic)\n" +
        "IL/MAC  IL / MACs, the interpreter's cost per multiply-accumulate\n" +
        "Innermost = containing no other loop. Loops are found from backward branches in the Release IL.";

    /// <summary>Innermost loops of every method in <see cref="Checks.KernelNamespace"/>, in metadata order.</summary>
    public static List<LoopCost> KernelLoops(ModuleImage module)
    {
        MetadataReader reader = module.Reader;
        List<LoopCost> loops = new();
        foreach (TypeDefinitionHandle type in reader.TypeDefinitions.Where(t => Checks.InKernelNamespace(reader, t)))
        {
            foreach (MethodDefinitionHandle method in reader.GetTypeDefinition(type).GetMethods())
            {
                MethodBodyBlock? body = module.Body(method);
                if (body == null)
                {
                    continue;
                }

                List<Instruction> il = Il.Decode(body);
                foreach ((int start, int end) in InnermostLoops(il))
                {
                    List<int> indexes = Enumerable.Range(0, il.Count).Where(i => il[i].Offset >= start && il[i].Offset <= end).ToList();
                    int macs = indexes.Sum(i => Macs(il, i, reader));
                    loops.Add(new LoopCost(method, Names.Method(reader, method), Source(module, method, end), start, end, indexes.Count, macs));
                }
            }
        }

        return loops;
    }

    /// <summary>Loops as [backward branch target, branch offset], keeping those that contain no other loop.</summary>
    public static List<(int Start, int End)> InnermostLoops(IReadOnlyList<Instruction> il)
    {
        Dictionary<int, int> ends = new();
        foreach (Instruction instruction in il)
        {
            foreach (int target in instruction.BranchTargets.Where(t => t <= instruction.Offset))
            {
                ends[target] = Math.Max(ends.GetValueOrDefault(target, instruction.Offset), instruction.Offset);
            }
        }

        List<(int Start, int End)> loops = ends.Select(e => (e.Key, e.Value)).OrderBy(l => l.Key).ToList();
        return loops.Where(l => !loops.Any(o => o != l && l.Start <= o.Start && o.End <= l.End)).ToList();
    }

    /// <summary>Multiply-accumulates the instruction at <paramref name="index"/> stands for (see <see cref="Legend"/>).</summary>
    public static int Macs(IReadOnlyList<Instruction> il, int index, MetadataReader reader)
    {
        if (il[index].OpCode is not (ILOpCode.Mul or ILOpCode.Mul_ovf or ILOpCode.Mul_ovf_un))
        {
            return 0;
        }

        int[] loads = new[] { 0, 1 }.Select(depth => LoadedThroughConversions(il, Producer(il, index, depth, reader), reader))
            .Where(p => p >= 0 && IsElementLoad(il[p].OpCode)).ToArray();
        if (loads.Length == 0)
        {
            return 0;
        }

        return loads.Any(p => il[p].OpCode == ILOpCode.Ldelem_i8) ? 2 : 1;
    }

    private static bool IsElementLoad(ILOpCode opCode) => opCode is ILOpCode.Ldelem_i1 or ILOpCode.Ldelem_u1 or ILOpCode.Ldelem_i2
        or ILOpCode.Ldelem_u2 or ILOpCode.Ldelem_i4 or ILOpCode.Ldelem_u4 or ILOpCode.Ldelem_i8 or ILOpCode.Ldelem;

    /// <summary>The producer of a value, looking through integer widenings (ldelem.i1; conv.i8 is still a load).</summary>
    private static int LoadedThroughConversions(IReadOnlyList<Instruction> il, int producer, MetadataReader reader)
    {
        while (producer >= 0 && il[producer].OpCode is ILOpCode.Conv_i8 or ILOpCode.Conv_i4 or ILOpCode.Conv_u8 or ILOpCode.Conv_i)
        {
            producer = Producer(il, producer, 0, reader);
        }

        return producer;
    }

    /// <summary>
    /// Index of the instruction that pushed the value <paramref name="depth"/> slots below the top
    /// of the stack just before <paramref name="index"/>, walking back through straight-line code;
    /// -1 if not found.
    /// </summary>
    private static int Producer(IReadOnlyList<Instruction> il, int index, int depth, MetadataReader reader)
    {
        for (int j = index - 1; j >= 0; j--)
        {
            (int pop, int push) = Il.StackEffect(il[j], reader);
            if (depth < push)
            {
                return il[j].OpCode == ILOpCode.Dup ? Producer(il, j, 0, reader) : j;
            }

            depth += pop - push;
        }

        return -1;
    }

    /// <summary>"Dot.cs:21": the source line of the loop's backward branch (its condition), from the PDB.</summary>
    private static string? Source(ModuleImage module, MethodDefinitionHandle method, int branchOffset)
    {
        if (module.Pdb is not { } pdb)
        {
            return null;
        }

        SequencePoint? point = null;
        foreach (SequencePoint candidate in pdb.GetMethodDebugInformation(method).GetSequencePoints())
        {
            if (!candidate.IsHidden && candidate.Offset <= branchOffset && (point == null || candidate.Offset >= point.Value.Offset))
            {
                point = candidate;
            }
        }

        if (point == null)
        {
            return null;
        }

        string file = Path.GetFileName(pdb.GetString(pdb.GetDocument(point.Value.Document).Name).Replace('\\', '/'));
        return file + ":" + point.Value.StartLine;
    }

    public static string Table(IReadOnlyList<LoopCost> loops)
    {
        List<string[]> rows = new() { new[] { "method", "source", "loop", "IL", "MACs", "IL/MAC" } };
        rows.AddRange(loops.Select(l => new[]
        {
            l.Method, l.Source ?? "-", $"IL_{l.Start:x4}..IL_{l.End:x4}", l.Instructions.ToString(CultureInfo.InvariantCulture),
            l.Macs.ToString(CultureInfo.InvariantCulture), l.IlPerMac?.ToString("0.00", CultureInfo.InvariantCulture) ?? "-",
        }));
        StringBuilder text = new();
        text.AppendLine("Innermost loops of the methods in " + Checks.KernelNamespace);
        text.AppendLine(Legend).AppendLine();
        AppendColumns(text, rows, rightAligned: 3);

        List<IGrouping<string, LoopCost>> files = loops.Where(l => l.Source != null).GroupBy(l => l.Source!.Split(':')[0]).ToList();
        if (files.Count > 0)
        {
            text.AppendLine().AppendLine("Per source file");
            List<string[]> summary = new() { new[] { "file", "loops", "with MACs", "best IL/MAC", "worst IL/MAC" } };
            foreach (IGrouping<string, LoopCost> file in files)
            {
                List<double> costs = file.Where(l => l.IlPerMac != null).Select(l => l.IlPerMac!.Value).ToList();
                summary.Add(new[]
                {
                    file.Key, file.Count().ToString(CultureInfo.InvariantCulture), costs.Count.ToString(CultureInfo.InvariantCulture),
                    costs.Count == 0 ? "-" : costs.Min().ToString("0.00", CultureInfo.InvariantCulture),
                    costs.Count == 0 ? "-" : costs.Max().ToString("0.00", CultureInfo.InvariantCulture),
                });
            }

            AppendColumns(text, summary, rightAligned: 1);
        }

        return text.ToString();
    }

    private static void AppendColumns(StringBuilder text, List<string[]> rows, int rightAligned)
    {
        int[] widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (string[] row in rows)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, c) => c >= rightAligned ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))).TrimEnd());
        }
    }

    /// <summary>ildasm-style listing of the loop, each mul annotated with the MACs it counts for.</summary>
    public static string Listing(ModuleImage module, LoopCost loop)
    {
        MetadataReader reader = module.Reader;
        MethodDefinition method = reader.GetMethodDefinition(loop.Handle);
        List<Instruction> il = Il.Decode(module.Body(loop.Handle)!);
        StringBuilder text = new();
        text.AppendLine($"{loop.Method}  IL_{loop.Start:x4}..IL_{loop.End:x4}: {loop.Instructions} IL, {loop.Macs} MACs");
        for (int i = 0; i < il.Count; i++)
        {
            if (il[i].Offset < loop.Start || il[i].Offset > loop.End)
            {
                continue;
            }

            int macs = Macs(il, i, reader);
            string line = "  " + Disassemble(il[i], reader, method);
            text.AppendLine(macs == 0 ? line : line.PadRight(48) + "// " + macs + (macs == 1 ? " MAC" : " MACs"));
        }

        return text.ToString();
    }

    public static string Disassemble(Instruction instruction, MetadataReader reader, MethodDefinition method)
    {
        string operand = Operand(instruction, reader, method);
        string head = $"IL_{instruction.Offset:x4}: {instruction.Mnemonic}";
        return operand.Length == 0 ? head : head.PadRight(21) + " " + operand;
    }

    private static string Operand(Instruction instruction, MetadataReader reader, MethodDefinition method)
    {
        ILOpCode op = instruction.OpCode;
        if (op == ILOpCode.Switch)
        {
            return "(" + string.Join(", ", instruction.Targets!.Select(t => $"IL_{t:x4}")) + ")";
        }

        if (instruction.IsBranch)
        {
            return $"IL_{instruction.Operand:x4}";
        }

        switch (op)
        {
            case ILOpCode.Ldarg_s or ILOpCode.Ldarga_s or ILOpCode.Starg_s or ILOpCode.Ldarg or ILOpCode.Ldarga or ILOpCode.Starg:
                return ArgumentName(reader, method, (int)instruction.Operand);
            case ILOpCode.Ldloc_s or ILOpCode.Ldloca_s or ILOpCode.Stloc_s or ILOpCode.Ldloc or ILOpCode.Ldloca or ILOpCode.Stloc:
                return "V_" + instruction.Operand;
            case ILOpCode.Ldc_r4 or ILOpCode.Ldc_r8:
                return BitConverter.Int64BitsToDouble(instruction.Operand).ToString("R", CultureInfo.InvariantCulture);
            case ILOpCode.Ldstr:
                return "\"" + reader.GetUserString(System.Reflection.Metadata.Ecma335.MetadataTokens.UserStringHandle(instruction.Token & 0xFFFFFF)) + "\"";
        }

        if (Il.HasTokenOperand(op))
        {
            return Names.Entity(reader, instruction.Handle);
        }

        return Il.OperandSize(op, instruction.Offset) == 0 ? "" : instruction.Operand.ToString(CultureInfo.InvariantCulture);
    }

    private static string ArgumentName(MetadataReader reader, MethodDefinition method, int index)
    {
        bool instance = (method.Attributes & MethodAttributes.Static) == 0;
        if (instance && index == 0)
        {
            return "this";
        }

        int sequence = instance ? index : index + 1;
        foreach (ParameterHandle handle in method.GetParameters())
        {
            Parameter parameter = reader.GetParameter(handle);
            if (parameter.SequenceNumber == sequence)
            {
                return reader.GetString(parameter.Name);
            }
        }

        return index.ToString(CultureInfo.InvariantCulture);
    }
}
