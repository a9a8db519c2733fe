using System.Reflection;
using System.Runtime.CompilerServices;
using QuantEdge.Compiler.Blob;
using QuantEdge.Runtime;

namespace QuantEdge.Compiler.Tests;

/// <summary>
/// The host compiler and the device runtime name no type alike: a reader of either never has to ask
/// which <c>Conv2D</c> (the float graph's node, the device kernel) or which <c>AddOp</c> (the host's op
/// record, the device's decoded op) a line means.
/// </summary>
public class TypeNameTests
{
    [Fact]
    public void NoTypeNameIsDefinedInBothTheCompilerAndTheRuntime()
    {
        static HashSet<string> Names(Assembly assembly) => assembly.GetTypes()
            .Where(t => !t.IsDefined(typeof(CompilerGeneratedAttribute)) && !t.Name.Contains('<'))
            .Select(t => t.Name)
            .ToHashSet();

        HashSet<string> compiler = Names(typeof(DeviceModel).Assembly);
        HashSet<string> runtime = Names(typeof(Model).Assembly);
        Assert.True(compiler.Count > 50 && runtime.Count > 30, "the assemblies' types were not read");
        Assert.Empty(compiler.Intersect(runtime).Order());
    }
}
