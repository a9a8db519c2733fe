using static QuantEdge.NfCheck.Tests.Nano;

namespace QuantEdge.NfCheck.Tests;

/// <summary>The interop assembly's shape (--interop) and calls into it from the runtime (--native-reference).</summary>
public class InteropTests
{
    private const string Interop = """
        using System.Runtime.CompilerServices;
        namespace QuantEdge.Runtime.Interop
        {
            public static class NativeMethods
            {
                [MethodImpl(MethodImplOptions.InternalCall)]
                public static extern int Version();

                [MethodImpl(MethodImplOptions.InternalCall)]
                public static extern void Add(sbyte[] arena, int[] args);
            }
        }
        """;

    private static IReadOnlyList<Violation> Shape(string source)
    {
        (byte[] image, _) = Compile(source, assemblyName: "QuantEdge.Runtime.Interop");
        using ModuleImage module = ModuleImage.FromBytes(image);
        return Checks.InteropShape(module);
    }

    [Fact]
    public void OneClassOfExternMethodsIsAnInteropAssembly()
    {
        Assert.Empty(Shape(Interop));
    }

    [Fact]
    public void AnythingElseInTheInteropAssemblyIsCaught()
    {
        List<string> found = Shape(Interop + """
            namespace QuantEdge.Runtime.Interop
            {
                public sealed class Helper
                {
                    public int Count;
                    public static int Twice(int x) { return 2 * x; }
                }
            }
            """).Select(v => v.Location + ": " + v.Message).ToList();

        found.AssertHas("QuantEdge.Runtime.Interop: 2 types (QuantEdge.Runtime.Interop.NativeMethods, QuantEdge.Runtime.Interop.Helper): an interop assembly holds exactly one class of extern methods");
        found.AssertHas("QuantEdge.Runtime.Interop.Helper: not a public static class");
        found.AssertHas("QuantEdge.Runtime.Interop.Helper::Count: a field in the interop class");
        found.AssertHas("QuantEdge.Runtime.Interop.Helper::Twice: not a static extern [MethodImpl(MethodImplOptions.InternalCall)] method");
    }

    [Fact]
    public void AManagedMethodBesideTheExternsIsCaught()
    {
        List<string> found = Shape("""
            using System.Runtime.CompilerServices;
            namespace QuantEdge.Runtime.Interop
            {
                public static class NativeMethods
                {
                    [MethodImpl(MethodImplOptions.InternalCall)]
                    public static extern int Version();
                    public static int Probe() { return Version(); }
                }
            }
            """).Select(v => v.Location + ": " + v.Message).ToList();

        Assert.Equal(["QuantEdge.Runtime.Interop.NativeMethods::Probe: not a static extern [MethodImpl(MethodImplOptions.InternalCall)] method"], found);
    }

    [Fact]
    public void CallsIntoANativeReferenceAreAllowedOnTheModelPathOnly()
    {
        (byte[] interop, _) = Compile(Interop, assemblyName: "QuantEdge.Runtime.Interop");
        (byte[] runtime, _) = Compile((Model + """
            namespace QuantEdge.Runtime
            {
                public static class Dispatch
                {
                    public static void Run(sbyte[] arena, int[] args) { QuantEdge.Runtime.Interop.NativeMethods.Add(arena, args); }
                }
            }
            """).Replace("Kernels.Add.Eval(arena, 0, 1);", "Kernels.Add.Eval(arena, 0, 1); Dispatch.Run(arena, null);"),
            references: new[] { Reference(interop), Reference(File.ReadAllBytes(MscorlibPath)) });

        using (ModuleImage module = ModuleImage.FromBytes(runtime))
        {
            AssertClean(Checks.Run(module, Corlib, null, [], ["QuantEdge.Runtime.Interop"]));
        }

        using (ModuleImage module = ModuleImage.FromBytes(runtime))
        {
            Checks.Run(module, Corlib, null, ["QuantEdge.Runtime.Interop"]).Of(Rule.Allocation).AssertHas(
                "QuantEdge.Runtime.Dispatch::Run: call void QuantEdge.Runtime.Interop.NativeMethods::Add(int8[], int32[]) (outside the assembly; may allocate) " +
                "in a method reachable from Model::Invoke (Model::Invoke -> Dispatch::Run)");
        }
    }
}
