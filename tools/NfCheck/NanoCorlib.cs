using System.Reflection.Metadata;

namespace QuantEdge.NfCheck;

/// <summary>
/// The public surface of the nanoFramework mscorlib the runtime was built against: its types by
/// full name, each with its base type and its members as "name signature" keys that a member
/// reference in the runtime must equal.
/// </summary>
public sealed class NanoCorlib
{
    private sealed record CorlibType(string? BaseType, HashSet<string> Members);

    private readonly Dictionary<string, CorlibType> _types = new(StringComparer.Ordinal);

    private NanoCorlib(string version)
    {
        Version = version;
    }

    /// <summary>Version of the mscorlib assembly, for messages.</summary>
    public string Version { get; }

    public static NanoCorlib Load(string path)
    {
        using ModuleImage image = ModuleImage.Open(path);
        MetadataReader reader = image.Reader;
        Version version = reader.GetAssemblyDefinition().Version;
        NanoCorlib corlib = new(version.ToString(3));
        SignatureTypes types = new();
        foreach (TypeDefinitionHandle handle in reader.TypeDefinitions)
        {
            TypeDefinition type = reader.GetTypeDefinition(handle);
            HashSet<string> members = new(StringComparer.Ordinal);
            foreach (MethodDefinitionHandle methodHandle in type.GetMethods())
            {
                MethodDefinition method = reader.GetMethodDefinition(methodHandle);
                members.Add(MemberKey(reader.GetString(method.Name), SignatureTypes.Method(method.DecodeSignature(types, null))));
            }

            foreach (FieldDefinitionHandle fieldHandle in type.GetFields())
            {
                FieldDefinition field = reader.GetFieldDefinition(fieldHandle);
                members.Add(MemberKey(reader.GetString(field.Name), field.DecodeSignature(types, null)));
            }

            string? baseType = type.BaseType.IsNil ? null : Names.Type(reader, type.BaseType);
            corlib._types[Names.TypeDef(reader, handle)] = new CorlibType(baseType, members);
        }

        return corlib;
    }

    public static string MemberKey(string name, SigType signature) => name + " " + signature.Text;

    public bool HasType(string fullName) => _types.ContainsKey(fullName);

    /// <summary>Whether the type or one of its base types has a member with this key.</summary>
    public bool HasMember(string typeFullName, string memberKey)
    {
        for (string? name = typeFullName; name != null && _types.TryGetValue(name, out CorlibType? type); name = type.BaseType)
        {
            if (type.Members.Contains(memberKey))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The base types of an mscorlib type, nearest first.</summary>
    public IEnumerable<string> BaseTypes(string typeFullName)
    {
        string? name = typeFullName;
        while (name != null && _types.TryGetValue(name, out CorlibType? type) && type.BaseType != null)
        {
            name = type.BaseType;
            yield return name;
        }
    }
}
