using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace QuantEdge.NfCheck;

/// <summary>
/// One decoded IL instruction. <see cref="Operand"/> holds the inline operand: a metadata token,
/// an integer constant, the bits of a floating constant, a local or argument index, or the
/// absolute target offset of a branch; <see cref="Targets"/> the absolute targets of a switch.
/// </summary>
public readonly record struct Instruction(int Offset, ILOpCode OpCode, long Operand, int[]? Targets)
{
    public int Token => (int)Operand;

    public EntityHandle Handle => MetadataTokens.EntityHandle((int)Operand);

    public bool IsBranch => OpCode == ILOpCode.Switch || OpCode.IsBranch();

    public IEnumerable<int> BranchTargets => OpCode == ILOpCode.Switch ? Targets! : IsBranch ? new[] { (int)Operand } : Array.Empty<int>();

    public string Mnemonic => Il.Mnemonic(OpCode);
}

/// <summary>Decoding of method bodies (ECMA-335 III) with exact operand sizes.</summary>
public static class Il
{
    /// <summary>The "no." prefix, which <see cref="ILOpCode"/> does not name.</summary>
    private const ILOpCode NoPrefix = (ILOpCode)0xFE19;

    public static List<Instruction> Decode(MethodBodyBlock body)
    {
        List<Instruction> instructions = new();
        BlobReader reader = body.GetILReader();
        while (reader.RemainingBytes > 0)
        {
            int offset = reader.Offset;
            byte first = reader.ReadByte();
            ILOpCode opCode = first == 0xFE ? (ILOpCode)(0xFE00 | reader.ReadByte()) : (ILOpCode)first;
            long operand = 0;
            int[]? targets = null;
            switch (OperandSize(opCode, offset))
            {
                case 0:
                    break;
                case 1 when opCode.IsBranch():
                    sbyte shortDelta = reader.ReadSByte();
                    operand = shortDelta + reader.Offset;
                    break;
                case 1:
                    operand = opCode == ILOpCode.Ldc_i4_s ? reader.ReadSByte() : reader.ReadByte();
                    break;
                case 2:
                    operand = reader.ReadUInt16();
                    break;
                case 4 when opCode.IsBranch():
                    int delta = reader.ReadInt32();
                    operand = delta + reader.Offset;
                    break;
                case 4 when opCode == ILOpCode.Ldc_r4:
                    operand = BitConverter.DoubleToInt64Bits(reader.ReadSingle());
                    break;
                case 4:
                    operand = reader.ReadInt32();
                    break;
                case 8 when opCode == ILOpCode.Ldc_r8:
                    operand = BitConverter.DoubleToInt64Bits(reader.ReadDouble());
                    break;
                case 8:
                    operand = reader.ReadInt64();
                    break;
                default:
                    int count = reader.ReadInt32();
                    int[] deltas = new int[count];
                    for (int i = 0; i < count; i++)
                    {
                        deltas[i] = reader.ReadInt32();
                    }

                    int end = reader.Offset;
                    targets = deltas.Select(d => d + end).ToArray();
                    operand = count;
                    break;
            }

            instructions.Add(new Instruction(offset, opCode, operand, targets));
        }

        return instructions;
    }

    /// <summary>Bytes of inline operand after the opcode; -1 for switch (a count, then that many targets).</summary>
    public static int OperandSize(ILOpCode opCode, int offset)
    {
        if (opCode == ILOpCode.Switch)
        {
            return -1;
        }

        if (opCode.IsBranch())
        {
            return opCode.GetBranchOperandSize();
        }

        switch (opCode)
        {
            case ILOpCode.Ldarg_s:
            case ILOpCode.Ldarga_s:
            case ILOpCode.Starg_s:
            case ILOpCode.Ldloc_s:
            case ILOpCode.Ldloca_s:
            case ILOpCode.Stloc_s:
            case ILOpCode.Ldc_i4_s:
            case ILOpCode.Unaligned:
            case NoPrefix:
                return 1;
            case ILOpCode.Ldarg:
            case ILOpCode.Ldarga:
            case ILOpCode.Starg:
            case ILOpCode.Ldloc:
            case ILOpCode.Ldloca:
            case ILOpCode.Stloc:
                return 2;
            case ILOpCode.Ldc_i4:
            case ILOpCode.Ldc_r4:
            case ILOpCode.Jmp:
            case ILOpCode.Call:
            case ILOpCode.Calli:
            case ILOpCode.Callvirt:
            case ILOpCode.Cpobj:
            case ILOpCode.Ldobj:
            case ILOpCode.Ldstr:
            case ILOpCode.Newobj:
            case ILOpCode.Castclass:
            case ILOpCode.Isinst:
            case ILOpCode.Unbox:
            case ILOpCode.Ldfld:
            case ILOpCode.Ldflda:
            case ILOpCode.Stfld:
            case ILOpCode.Ldsfld:
            case ILOpCode.Ldsflda:
            case ILOpCode.Stsfld:
            case ILOpCode.Stobj:
            case ILOpCode.Box:
            case ILOpCode.Newarr:
            case ILOpCode.Ldelema:
            case ILOpCode.Ldelem:
            case ILOpCode.Stelem:
            case ILOpCode.Unbox_any:
            case ILOpCode.Refanyval:
            case ILOpCode.Mkrefany:
            case ILOpCode.Ldtoken:
            case ILOpCode.Ldftn:
            case ILOpCode.Ldvirtftn:
            case ILOpCode.Initobj:
            case ILOpCode.Constrained:
            case ILOpCode.Sizeof:
                return 4;
            case ILOpCode.Ldc_i8:
            case ILOpCode.Ldc_r8:
                return 8;
        }

        if (!Enum.IsDefined(opCode))
        {
            throw new InvalidDataException($"unknown IL opcode 0x{(int)opCode:X} at IL_{offset:x4}");
        }

        return 0;
    }

    public static bool HasTokenOperand(ILOpCode opCode) =>
        OperandSize(opCode, 0) == 4 && opCode is not (ILOpCode.Ldc_i4 or ILOpCode.Ldc_r4) && !opCode.IsBranch();

    public static string Mnemonic(ILOpCode opCode)
    {
        string name = opCode == NoPrefix ? "no" : opCode.ToString().ToLowerInvariant().Replace('_', '.');
        bool prefix = opCode is ILOpCode.Volatile or ILOpCode.Tail or ILOpCode.Unaligned or ILOpCode.Constrained
            or ILOpCode.Readonly or NoPrefix;
        return prefix ? name + "." : name;
    }

    /// <summary>
    /// Values an instruction pops and pushes. Calls need their signature; <paramref name="reader"/>
    /// resolves it. Returns and leave, which end the stack, count as (0, 0).
    /// </summary>
    public static (int Pop, int Push) StackEffect(Instruction instruction, MetadataReader reader)
    {
        ILOpCode op = instruction.OpCode;
        switch (op)
        {
            case ILOpCode.Call:
            case ILOpCode.Callvirt:
            case ILOpCode.Newobj:
            case ILOpCode.Calli:
                (int parameters, bool instance, bool returns) = CallShape(reader, instruction.Handle);
                if (op == ILOpCode.Newobj)
                {
                    return (parameters, 1);
                }

                return (parameters + (instance ? 1 : 0) + (op == ILOpCode.Calli ? 1 : 0), returns ? 1 : 0);
            case ILOpCode.Dup:
                return (1, 2);
            case ILOpCode.Stelem:
            case ILOpCode.Stelem_i:
            case ILOpCode.Stelem_i1:
            case ILOpCode.Stelem_i2:
            case ILOpCode.Stelem_i4:
            case ILOpCode.Stelem_i8:
            case ILOpCode.Stelem_r4:
            case ILOpCode.Stelem_r8:
            case ILOpCode.Stelem_ref:
            case ILOpCode.Cpblk:
            case ILOpCode.Initblk:
                return (3, 0);
            case ILOpCode.Stind_i:
            case ILOpCode.Stind_i1:
            case ILOpCode.Stind_i2:
            case ILOpCode.Stind_i4:
            case ILOpCode.Stind_i8:
            case ILOpCode.Stind_r4:
            case ILOpCode.Stind_r8:
            case ILOpCode.Stind_ref:
            case ILOpCode.Stfld:
            case ILOpCode.Stobj:
            case ILOpCode.Cpobj:
                return (2, 0);
            case ILOpCode.Starg:
            case ILOpCode.Starg_s:
            case ILOpCode.Stloc:
            case ILOpCode.Stloc_s:
            case ILOpCode.Stloc_0:
            case ILOpCode.Stloc_1:
            case ILOpCode.Stloc_2:
            case ILOpCode.Stloc_3:
            case ILOpCode.Pop:
            case ILOpCode.Stsfld:
            case ILOpCode.Initobj:
            case ILOpCode.Throw:
            case ILOpCode.Brfalse:
            case ILOpCode.Brfalse_s:
            case ILOpCode.Brtrue:
            case ILOpCode.Brtrue_s:
            case ILOpCode.Switch:
            case ILOpCode.Endfilter:
                return (1, 0);
            case ILOpCode.Beq:
            case ILOpCode.Beq_s:
            case ILOpCode.Bge:
            case ILOpCode.Bge_s:
            case ILOpCode.Bge_un:
            case ILOpCode.Bge_un_s:
            case ILOpCode.Bgt:
            case ILOpCode.Bgt_s:
            case ILOpCode.Bgt_un:
            case ILOpCode.Bgt_un_s:
            case ILOpCode.Ble:
            case ILOpCode.Ble_s:
            case ILOpCode.Ble_un:
            case ILOpCode.Ble_un_s:
            case ILOpCode.Blt:
            case ILOpCode.Blt_s:
            case ILOpCode.Blt_un:
            case ILOpCode.Blt_un_s:
            case ILOpCode.Bne_un:
            case ILOpCode.Bne_un_s:
                return (2, 0);
            case ILOpCode.Add:
            case ILOpCode.Add_ovf:
            case ILOpCode.Add_ovf_un:
            case ILOpCode.Sub:
            case ILOpCode.Sub_ovf:
            case ILOpCode.Sub_ovf_un:
            case ILOpCode.Mul:
            case ILOpCode.Mul_ovf:
            case ILOpCode.Mul_ovf_un:
            case ILOpCode.Div:
            case ILOpCode.Div_un:
            case ILOpCode.Rem:
            case ILOpCode.Rem_un:
            case ILOpCode.And:
            case ILOpCode.Or:
            case ILOpCode.Xor:
            case ILOpCode.Shl:
            case ILOpCode.Shr:
            case ILOpCode.Shr_un:
            case ILOpCode.Ceq:
            case ILOpCode.Cgt:
            case ILOpCode.Cgt_un:
            case ILOpCode.Clt:
            case ILOpCode.Clt_un:
            case ILOpCode.Ldelema:
            case ILOpCode.Ldelem:
            case ILOpCode.Ldelem_i:
            case ILOpCode.Ldelem_i1:
            case ILOpCode.Ldelem_i2:
            case ILOpCode.Ldelem_i4:
            case ILOpCode.Ldelem_i8:
            case ILOpCode.Ldelem_u1:
            case ILOpCode.Ldelem_u2:
            case ILOpCode.Ldelem_u4:
            case ILOpCode.Ldelem_r4:
            case ILOpCode.Ldelem_r8:
            case ILOpCode.Ldelem_ref:
                return (2, 1);
            case ILOpCode.Ldarg:
            case ILOpCode.Ldarg_s:
            case ILOpCode.Ldarg_0:
            case ILOpCode.Ldarg_1:
            case ILOpCode.Ldarg_2:
            case ILOpCode.Ldarg_3:
            case ILOpCode.Ldarga:
            case ILOpCode.Ldarga_s:
            case ILOpCode.Ldloc:
            case ILOpCode.Ldloc_s:
            case ILOpCode.Ldloc_0:
            case ILOpCode.Ldloc_1:
            case ILOpCode.Ldloc_2:
            case ILOpCode.Ldloc_3:
            case ILOpCode.Ldloca:
            case ILOpCode.Ldloca_s:
            case ILOpCode.Ldnull:
            case ILOpCode.Ldc_i4:
            case ILOpCode.Ldc_i4_s:
            case ILOpCode.Ldc_i4_m1:
            case ILOpCode.Ldc_i4_0:
            case ILOpCode.Ldc_i4_1:
            case ILOpCode.Ldc_i4_2:
            case ILOpCode.Ldc_i4_3:
            case ILOpCode.Ldc_i4_4:
            case ILOpCode.Ldc_i4_5:
            case ILOpCode.Ldc_i4_6:
            case ILOpCode.Ldc_i4_7:
            case ILOpCode.Ldc_i4_8:
            case ILOpCode.Ldc_i8:
            case ILOpCode.Ldc_r4:
            case ILOpCode.Ldc_r8:
            case ILOpCode.Ldstr:
            case ILOpCode.Ldsfld:
            case ILOpCode.Ldsflda:
            case ILOpCode.Ldtoken:
            case ILOpCode.Ldftn:
            case ILOpCode.Arglist:
            case ILOpCode.Sizeof:
                return (0, 1);
            case ILOpCode.Nop:
            case ILOpCode.Break:
            case ILOpCode.Jmp:
            case ILOpCode.Ret:
            case ILOpCode.Br:
            case ILOpCode.Br_s:
            case ILOpCode.Leave:
            case ILOpCode.Leave_s:
            case ILOpCode.Endfinally:
            case ILOpCode.Rethrow:
            case ILOpCode.Volatile:
            case ILOpCode.Tail:
            case ILOpCode.Unaligned:
            case ILOpCode.Constrained:
            case ILOpCode.Readonly:
            case NoPrefix:
                return (0, 0);
            default:
                // Every remaining opcode takes one value and leaves one: conversions, neg, not,
                // ckfinite, ldind.*, ldfld, ldflda, ldobj, ldlen, newarr, box, unbox(.any),
                // castclass, isinst, ldvirtftn, localloc, mkrefany, refanyval, refanytype.
                return (1, 1);
        }
    }

    private static (int Parameters, bool Instance, bool Returns) CallShape(MetadataReader reader, EntityHandle target)
    {
        BlobHandle signature = target.Kind switch
        {
            HandleKind.MethodDefinition => reader.GetMethodDefinition((MethodDefinitionHandle)target).Signature,
            HandleKind.MemberReference => reader.GetMemberReference((MemberReferenceHandle)target).Signature,
            HandleKind.MethodSpecification => SignatureOf(reader, reader.GetMethodSpecification((MethodSpecificationHandle)target).Method),
            HandleKind.StandaloneSignature => reader.GetStandaloneSignature((StandaloneSignatureHandle)target).Signature,
            _ => throw new InvalidDataException("call target " + Names.Token(target) + " is not a method"),
        };
        BlobReader blob = reader.GetBlobReader(signature);
        SignatureHeader header = blob.ReadSignatureHeader();
        if (header.IsGeneric)
        {
            blob.ReadCompressedInteger();
        }

        int parameters = blob.ReadCompressedInteger();
        SignatureTypeCode returnType = blob.ReadSignatureTypeCode();
        while (returnType is SignatureTypeCode.RequiredModifier or SignatureTypeCode.OptionalModifier)
        {
            blob.ReadTypeHandle();
            returnType = blob.ReadSignatureTypeCode();
        }

        bool returns = returnType != SignatureTypeCode.Void;
        return (parameters, header.IsInstance, returns);
    }

    private static BlobHandle SignatureOf(MetadataReader reader, EntityHandle method) => method.Kind == HandleKind.MethodDefinition
        ? reader.GetMethodDefinition((MethodDefinitionHandle)method).Signature
        : reader.GetMemberReference((MemberReferenceHandle)method).Signature;
}
