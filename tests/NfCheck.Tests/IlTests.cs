using System.Reflection.Metadata;
using static QuantEdge.NfCheck.Tests.Nano;

namespace QuantEdge.NfCheck.Tests;

public class IlTests
{
    [Fact]
    public void DecodesEveryOperandSizeOntoInstructionBoundaries()
    {
        // Switch, long and short branches, 1/2/4/8-byte operands, tokens, strings.
        StringWriter body = new();
        for (int i = 0; i < 40; i++)
        {
            body.Write($"total += i * {i} + (int)(l >> {i % 7}); ");
        }

        (byte[] image, _) = Compile($$"""
            namespace QuantEdge.Runtime
            {
                public static class Mixed
                {
                    public static int Run(int i, long l, string s)
                    {
                        int total = 0;
                        switch (i) { case 0: total = 5; break; case 1: total = 7; break; case 2: total = s.Length; break; case 3: total = -1; break; }
                        long big = l + 0x123456789AL;
                        while (total < 1000)
                        {
                            {{body}}
                            if (s == "stop") { break; }
                        }

                        return total + (int)big;
                    }
                }
            }
            """);
        using ModuleImage module = ModuleImage.FromBytes(image);
        MethodDefinitionHandle run = module.Reader.MethodDefinitions.Single(m => module.Reader.GetString(module.Reader.GetMethodDefinition(m).Name) == "Run");
        MethodBodyBlock block = module.Body(run)!;

        List<Instruction> il = Il.Decode(block);

        HashSet<int> boundaries = il.Select(i => i.Offset).ToHashSet();
        Instruction switchInstruction = Assert.Single(il, i => i.OpCode == ILOpCode.Switch);
        Assert.Equal(4, switchInstruction.Targets!.Length);
        Assert.All(il.SelectMany(i => i.BranchTargets), target => Assert.Contains(target, boundaries));
        Assert.Contains(il, i => i.OpCode == ILOpCode.Ldc_i8 && i.Operand == 0x123456789AL);
        Assert.Contains(il, i => i.OpCode is ILOpCode.Br or ILOpCode.Blt or ILOpCode.Bge or ILOpCode.Brtrue or ILOpCode.Brfalse);
        Assert.Equal(block.GetILBytes()!.Length, LastEnd(il));
    }

    /// <summary>Where the last instruction ends: its offset plus opcode and operand bytes.</summary>
    private static int LastEnd(List<Instruction> il)
    {
        Instruction last = il[^1];
        int size = Il.OperandSize(last.OpCode, last.Offset);
        return last.Offset + ((int)last.OpCode > 0xFF ? 2 : 1) + (size < 0 ? 4 + 4 * last.Targets!.Length : size);
    }
}
