using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace QuantEdge.NfCheck;

/// <summary>Readable names for metadata entities: "Namespace.Type/Nested::Member".</summary>
internal static class Names
{
    public static string Primitive(PrimitiveTypeCode code) => code switch
    {
        PrimitiveTypeCode.Void => "void",
        PrimitiveTypeCode.Boolean => "bool",
        PrimitiveTypeCode.Char => "char",
        PrimitiveTypeCode.SByte => "int8",
        PrimitiveTypeCode.Byte => "uint8",
        PrimitiveTypeCode.Int16 => "int16",
        PrimitiveTypeCode.UInt16 => "uint16",
        PrimitiveTypeCode.Int32 => "int32",
        PrimitiveTypeCode.UInt32 => "uint32",
        PrimitiveTypeCode.Int64 => "int64",
        PrimitiveTypeCode.UInt64 => "uint64",
        PrimitiveTypeCode.Single => "float32",
        PrimitiveTypeCode.Double => "float64",
        PrimitiveTypeCode.String => "string",
        PrimitiveTypeCode.Object => "object",
        PrimitiveTypeCode.IntPtr => "native int",
        PrimitiveTypeCode.UIntPtr => "native uint",
        PrimitiveTypeCode.TypedReference => "typedref",
        _ => code.ToString(),
    };

    public static bool IsFloatType(string fullName) => fullName is "System.Single" or "System.Double";

    public static string TypeDef(MetadataReader reader, TypeDefinitionHandle handle)
    {
        TypeDefinition type = reader.GetTypeDefinition(handle);
        TypeDefinitionHandle declaring = type.GetDeclaringType();
        string name = reader.GetString(type.Name);
        if (!declaring.IsNil)
        {
            return TypeDef(reader, declaring) + "/" + name;
        }

        string ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    public static string TypeRef(MetadataReader reader, TypeReferenceHandle handle)
    {
        TypeReference type = reader.GetTypeReference(handle);
        string name = reader.GetString(type.Name);
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            return TypeRef(reader, (TypeReferenceHandle)type.ResolutionScope) + "/" + name;
        }

        string ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    /// <summary>The namespace of a type, or of its outermost declaring type when nested.</summary>
    public static string OutermostNamespace(MetadataReader reader, TypeDefinitionHandle handle)
    {
        TypeDefinition type = reader.GetTypeDefinition(handle);
        TypeDefinitionHandle declaring = type.GetDeclaringType();
        return declaring.IsNil ? reader.GetString(type.Namespace) : OutermostNamespace(reader, declaring);
    }

    /// <summary>Name of a TypeDef, TypeRef or TypeSpec.</summary>
    public static string Type(MetadataReader reader, EntityHandle handle) => handle.Kind switch
    {
        HandleKind.TypeDefinition => TypeDef(reader, (TypeDefinitionHandle)handle),
        HandleKind.TypeReference => TypeRef(reader, (TypeReferenceHandle)handle),
        HandleKind.TypeSpecification => reader.GetTypeSpecification((TypeSpecificationHandle)handle)
            .DecodeSignature(new SignatureTypes(), null).Text,
        _ => Token(handle),
    };

    public static string Method(MetadataReader reader, MethodDefinitionHandle handle)
    {
        MethodDefinition method = reader.GetMethodDefinition(handle);
        return TypeDef(reader, method.GetDeclaringType()) + "::" + reader.GetString(method.Name);
    }

    /// <summary>"Type::Method" without the namespace, for call paths.</summary>
    public static string ShortMethod(MetadataReader reader, MethodDefinitionHandle handle)
    {
        MethodDefinition method = reader.GetMethodDefinition(handle);
        string type = TypeDef(reader, method.GetDeclaringType());
        string ns = OutermostNamespace(reader, method.GetDeclaringType());
        if (ns.Length > 0)
        {
            type = type.Substring(ns.Length + 1);
        }

        return type + "::" + reader.GetString(method.Name);
    }

    public static string Field(MetadataReader reader, FieldDefinitionHandle handle)
    {
        FieldDefinition field = reader.GetFieldDefinition(handle);
        return TypeDef(reader, field.GetDeclaringType()) + "::" + reader.GetString(field.Name);
    }

    /// <summary>"Type::Name" of a member reference.</summary>
    public static string MemberRefOwner(MetadataReader reader, MemberReference member) =>
        Type(reader, member.Parent) + "::" + reader.GetString(member.Name);

    /// <summary>A member reference the way ildasm shows it: "instance int32 System.String::get_Length()".</summary>
    public static string MemberRef(MetadataReader reader, MemberReferenceHandle handle)
    {
        MemberReference member = reader.GetMemberReference(handle);
        string owner = MemberRefOwner(reader, member);
        SignatureTypes types = new();
        if (member.GetKind() != MemberReferenceKind.Method)
        {
            return member.DecodeFieldSignature(types, null).Text + " " + owner;
        }

        MethodSignature<SigType> signature = member.DecodeMethodSignature(types, null);
        string arity = signature.GenericParameterCount > 0 ? "<" + signature.GenericParameterCount + ">" : "";
        return (signature.Header.IsInstance ? "instance " : "") + signature.ReturnType.Text + " " + owner + arity
            + "(" + string.Join(", ", signature.ParameterTypes.Select(p => p.Text)) + ")";
    }

    public static SigType MemberRefSignature(MetadataReader reader, MemberReference member, SignatureTypes types) =>
        member.GetKind() == MemberReferenceKind.Method
            ? SignatureTypes.Method(member.DecodeMethodSignature(types, null))
            : member.DecodeFieldSignature(types, null);

    /// <summary>Name of anything an IL token can point at.</summary>
    public static string Entity(MetadataReader reader, EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.MethodDefinition:
                return Method(reader, (MethodDefinitionHandle)handle);
            case HandleKind.FieldDefinition:
                return Field(reader, (FieldDefinitionHandle)handle);
            case HandleKind.MemberReference:
                return MemberRef(reader, (MemberReferenceHandle)handle);
            case HandleKind.MethodSpecification:
                MethodSpecification spec = reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                string arguments = string.Join(", ", spec.DecodeSignature(new SignatureTypes(), null).Select(a => a.Text));
                return Entity(reader, spec.Method) + "<" + arguments + ">";
            case HandleKind.StandaloneSignature:
                return "signature " + Token(handle);
            default:
                return Type(reader, handle);
        }
    }

    public static string Token(EntityHandle handle) => "0x" + MetadataTokens.GetToken(handle).ToString("X8");
}
