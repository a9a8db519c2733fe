using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace QuantEdge.DeviceTest.Running;

/// <summary>A nanoFramework assembly (.dll) with the names of the assemblies it references.</summary>
public sealed record DeviceAssembly(string Name, string Path, IReadOnlyList<string> References)
{
    public static DeviceAssembly Read(string path)
    {
        using FileStream stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        MetadataReader metadata = pe.GetMetadataReader();
        string name = metadata.GetString(metadata.GetAssemblyDefinition().Name);
        string[] references = metadata.AssemblyReferences.Select(r => metadata.GetString(metadata.GetAssemblyReference(r).Name)).ToArray();
        return new DeviceAssembly(name, path, references);
    }
}

/// <summary>
/// The assemblies an app needs on the nanoCLR, dependencies first (the order the interpreter loads
/// them in and the MetadataProcessor converts them in): the roots and everything they reference,
/// directly or not, resolved by name among the known assemblies.
/// </summary>
public static class AssemblyClosure
{
    public static IReadOnlyList<DeviceAssembly> LoadOrder(IEnumerable<string> rootNames, IEnumerable<string> knownPaths)
    {
        var known = new Dictionary<string, DeviceAssembly>(StringComparer.Ordinal);
        foreach (string path in knownPaths)
        {
            DeviceAssembly assembly = DeviceAssembly.Read(path);
            known.TryAdd(assembly.Name, assembly);
        }

        var order = new List<DeviceAssembly>();
        var state = new Dictionary<string, bool>(); // false: being visited, true: placed
        foreach (string root in rootNames)
        {
            Visit(root, null);
        }

        return order;

        void Visit(string name, string? from)
        {
            if (state.TryGetValue(name, out bool placed))
            {
                if (!placed)
                {
                    throw new DeviceTestException($"assembly reference cycle through {name}");
                }

                return;
            }

            if (!known.TryGetValue(name, out DeviceAssembly? assembly))
            {
                throw new DeviceTestException($"{name}{(from == null ? "" : $", referenced by {from},")} was not found among the built and kit assemblies");
            }

            state[name] = false;
            foreach (string reference in assembly.References)
            {
                Visit(reference, name);
            }

            state[name] = true;
            order.Add(assembly);
        }
    }
}
