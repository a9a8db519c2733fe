using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace QuantEdge.DeviceTest.Running;

/// <summary>
/// How many result lines a nanoFramework.TestFramework assembly should produce, counted from its
/// metadata (the interpreter's exit code cannot tell a finished run from one that crashed halfway):
/// in each [TestClass], one per [TestMethod] without [DataRow] and one per [DataRow] of a
/// [TestMethod], plus one per [Setup] and [Cleanup] method (the launcher reports those too).
/// </summary>
public static class DeclaredTests
{
    private const string Namespace = "nanoFramework.TestFramework";

    public static int Count(string assemblyPath)
    {
        using FileStream stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        MetadataReader metadata = pe.GetMetadataReader();
        int count = 0;
        foreach (TypeDefinitionHandle typeHandle in metadata.TypeDefinitions)
        {
            TypeDefinition type = metadata.GetTypeDefinition(typeHandle);
            if (!Attributes(metadata, type.GetCustomAttributes()).Contains("TestClassAttribute"))
            {
                continue;
            }

            foreach (MethodDefinitionHandle methodHandle in type.GetMethods())
            {
                List<string> attributes = Attributes(metadata, metadata.GetMethodDefinition(methodHandle).GetCustomAttributes());
                int rows = attributes.Count(a => a == "DataRowAttribute");
                if (attributes.Contains("TestMethodAttribute"))
                {
                    count += Math.Max(1, rows);
                }

                count += attributes.Count(a => a is "SetupAttribute" or "CleanupAttribute");
            }
        }

        return count;
    }

    /// <summary>Names of the TestFramework attribute types among <paramref name="handles"/>.</summary>
    private static List<string> Attributes(MetadataReader metadata, CustomAttributeHandleCollection handles)
    {
        var names = new List<string>();
        foreach (CustomAttributeHandle handle in handles)
        {
            CustomAttribute attribute = metadata.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind != HandleKind.MemberReference)
            {
                continue;
            }

            EntityHandle parent = metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
            if (parent.Kind == HandleKind.TypeReference)
            {
                TypeReference type = metadata.GetTypeReference((TypeReferenceHandle)parent);
                if (metadata.GetString(type.Namespace) == Namespace)
                {
                    names.Add(metadata.GetString(type.Name));
                }
            }
        }

        return names;
    }
}
