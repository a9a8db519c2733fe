using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace QuantEdge.NfCheck;

/// <summary>Constructs found in a decoded signature that nanoCLR 1.x cannot run.</summary>
[Flags]
public enum SigFlags
{
    None = 0,
    Generic = 1,
    MultiDimArray = 2,
    Pointer = 4,
    Float = 8,
}

/// <summary>
/// A decoded signature type: ildasm-like text (also the key that matches a member reference with
/// the member it names in another assembly) and the forbidden constructs anywhere inside it.
/// </summary>
public readonly record struct SigType(string Text, SigFlags Flags);

/// <summary>
/// Decodes signature blobs into <see cref="SigType"/>s. Type names are full names with '/' for
/// nesting, so a TypeRef in the runtime and the TypeDef it names in mscorlib give the same text.
/// Remembers the TypeRefs met since the last <see cref="TakeReferencedTypes"/>, so callers know
/// which member or signature uses each referenced type.
/// </summary>
internal sealed class SignatureTypes : ISignatureTypeProvider<SigType, object?>
{
    private readonly List<TypeReferenceHandle> _referenced = new();

    public List<TypeReferenceHandle> TakeReferencedTypes()
    {
        List<TypeReferenceHandle> taken = new(_referenced);
        _referenced.Clear();
        return taken;
    }

    public SigType GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
    {
        PrimitiveTypeCode.Single => new SigType("float32", SigFlags.Float),
        PrimitiveTypeCode.Double => new SigType("float64", SigFlags.Float),
        _ => new SigType(Names.Primitive(typeCode), SigFlags.None),
    };

    public SigType GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
        new(Names.TypeDef(reader, handle), SigFlags.None);

    public SigType GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
    {
        _referenced.Add(handle);
        string name = Names.TypeRef(reader, handle);
        return new SigType(name, Names.IsFloatType(name) ? SigFlags.Float : SigFlags.None);
    }

    public SigType GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

    public SigType GetSZArrayType(SigType elementType) => elementType with { Text = elementType.Text + "[]" };

    public SigType GetArrayType(SigType elementType, ArrayShape shape) =>
        new(elementType.Text + "[" + new string(',', shape.Rank - 1) + "]", elementType.Flags | SigFlags.MultiDimArray);

    public SigType GetByReferenceType(SigType elementType) => elementType with { Text = elementType.Text + "&" };

    public SigType GetPointerType(SigType elementType) => new(elementType.Text + "*", elementType.Flags | SigFlags.Pointer);

    public SigType GetFunctionPointerType(MethodSignature<SigType> signature)
    {
        SigType method = Method(signature);
        return new SigType("method " + method.Text + " *", method.Flags | SigFlags.Pointer);
    }

    public SigType GetGenericInstantiation(SigType genericType, ImmutableArray<SigType> typeArguments) =>
        new(genericType.Text + "<" + string.Join(", ", typeArguments.Select(a => a.Text)) + ">",
            Combine(typeArguments) | genericType.Flags | SigFlags.Generic);

    public SigType GetGenericMethodParameter(object? genericContext, int index) => new("!!" + index, SigFlags.Generic);

    public SigType GetGenericTypeParameter(object? genericContext, int index) => new("!" + index, SigFlags.Generic);

    public SigType GetModifiedType(SigType modifier, SigType unmodifiedType, bool isRequired) =>
        new(unmodifiedType.Text + (isRequired ? " modreq(" : " modopt(") + modifier.Text + ")", unmodifiedType.Flags | modifier.Flags);

    public SigType GetPinnedType(SigType elementType) => elementType with { Text = elementType.Text + " pinned" };

    /// <summary>"instance int32 (string, int32[])", "!!0 <1>(!!0)" plus the flags of the return and parameter types.</summary>
    public static SigType Method(MethodSignature<SigType> signature)
    {
        string arity = signature.GenericParameterCount > 0 ? "<" + signature.GenericParameterCount + ">" : "";
        string text = (signature.Header.IsInstance ? "instance " : "") + signature.ReturnType.Text + " " + arity
            + "(" + string.Join(", ", signature.ParameterTypes.Select(p => p.Text)) + ")";
        SigFlags flags = Combine(signature.ParameterTypes) | signature.ReturnType.Flags
            | (signature.GenericParameterCount > 0 ? SigFlags.Generic : SigFlags.None);
        return new SigType(text, flags);
    }

    /// <summary>"(int32, int64[])": local variables or generic arguments.</summary>
    public static SigType Sequence(ImmutableArray<SigType> types) =>
        new("(" + string.Join(", ", types.Select(l => l.Text)) + ")", Combine(types));

    private static SigFlags Combine(IEnumerable<SigType> types)
    {
        SigFlags flags = SigFlags.None;
        foreach (SigType type in types)
        {
            flags |= type.Flags;
        }

        return flags;
    }
}
