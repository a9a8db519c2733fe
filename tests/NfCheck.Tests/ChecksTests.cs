using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static QuantEdge.NfCheck.Tests.Nano;

namespace QuantEdge.NfCheck.Tests;

public class ChecksTests
{
    [Fact]
    public void CleanIntegerKernelPasses()
    {
        CheckResult result = Check(Model + """
            namespace QuantEdge.Runtime.Kernels
            {
                public sealed class ScaleParams { public int Multiplier; public int[] Table; public sbyte[][] Rows; }
                public static class Scale
                {
                    public static void Eval(ScaleParams p, sbyte[] arena, int inputOffset, int outputOffset)
                    {
                        long acc = 0;
                        for (int i = 0; i < p.Table.Length; i++) { acc += (long)arena[inputOffset + i] * p.Multiplier; }
                        arena[outputOffset] = Clamp((int)(acc >> 8), p.Rows[0][0]);
                    }
                    private static sbyte Clamp(int v, int floor) { return (sbyte)(v < floor ? floor : v > 127 ? 127 : v); }
                }
            }
            """);

        AssertClean(result);
        Assert.Equal(new[] { "QuantEdge.Runtime.Model::Invoke", "QuantEdge.Runtime.Kernels.Add::Eval", "QuantEdge.Runtime.Kernels.Scale::Eval" },
            result.Roots);
        Assert.Equal(4, result.ReachableMethods);
    }

    [Fact]
    public void GenericTypeMethodAndInstantiationsAreNamed()
    {
        CheckResult result = Check(Model + """
            namespace QuantEdge.Runtime
            {
                public sealed class Box<T> { public T Value; }
                public static class Util
                {
                    public static T Same<T>(T x) { return x; }
                    public static int UseSame() { return Same(3); }
                    public static void Callback(System.Action<int> action) { }
                    public static int Local(int n) { Box<int> box = new Box<int>(); int s = 0; for (int i = 0; i < n; i++) { s += box.Value; } return s; }
                }
            }
            """);

        List<string> generics = result.Of(Rule.Generics);
        generics.AssertHas("QuantEdge.Runtime.Box`1: generic type: type parameter T");
        generics.AssertHas("QuantEdge.Runtime.Box`1::Value: generic instantiation or type parameter in field type: !0");
        generics.AssertHas("QuantEdge.Runtime.Util::Same: generic method: type parameter T");
        generics.AssertHas("QuantEdge.Runtime.Util::UseSame: generic method instantiation QuantEdge.Runtime.Util::Same<int32>");
        generics.AssertHas("QuantEdge.Runtime.Util::Callback: generic instantiation or type parameter in method signature: void (System.Action`1<int32>)");
        generics.AssertHas("QuantEdge.Runtime.Util::Local: generic instantiation or type parameter in local variables: (QuantEdge.Runtime.Box`1<int32>, int32, int32)");
        generics.AssertHas("QuantEdge.Runtime.Util::Local: generic instantiation or type parameter in TypeSpec: QuantEdge.Runtime.Box`1<int32>");
        generics.AssertHas("QuantEdge.Runtime.Util::Local: generic instantiation or type parameter in reference to QuantEdge.Runtime.Box`1<int32>::Value: !0");
    }

    [Fact]
    public void MultidimensionalArraysAndPointersAreCaughtInEverySignature()
    {
        CheckResult result = Check(Model + """
            namespace QuantEdge.Runtime
            {
                public unsafe static class Grid
                {
                    public static int[,] Cells;
                    public static int Sum(int n) { int[,] g = new int[n, n]; int s = 0; for (int i = 0; i < n; i++) { s += g[i, i]; } return s; }
                    public static int Read(int* p) { return *p; }
                    public static void Call(delegate*<int, void> f) { f(1); }
                }
            }
            """);

        List<string> found = result.Of(Rule.ArrayOrPointer);
        found.AssertHas("QuantEdge.Runtime.Grid::Cells: multidimensional array in field type: int32[,]");
        found.AssertHas("QuantEdge.Runtime.Grid::Sum: multidimensional array in local variables: (int32[,], int32, int32)");
        found.AssertHas("QuantEdge.Runtime.Grid::Sum: multidimensional array in TypeSpec: int32[,]");
        found.AssertHas("QuantEdge.Runtime.Grid::Read: pointer type in method signature: int32 (int32*)");
        found.AssertHas("QuantEdge.Runtime.Grid::Call: pointer type in method signature: void (method void (int32) *)");
        found.AssertHas("QuantEdge.Runtime.Grid::Call: pointer type in local variables: (method void (int32) *)");
    }

    [Fact]
    public void LatestLanguageVersionSynthesizedAttributesAreCaught()
    {
        // C# 11+ stamps every module with [RefSafetyRules], which nanoFramework mscorlib lacks, so
        // Roslyn writes the attribute (and [Embedded]) into the assembly itself.
        CheckResult result = Check(Model, LanguageVersion.Latest);

        List<string> synthesized = result.Of(Rule.SynthesizedType);
        synthesized.AssertHas("Microsoft.CodeAnalysis.EmbeddedAttribute: type defined in namespace Microsoft.CodeAnalysis: a compiler-synthesized type or a copy of an mscorlib type");
        synthesized.AssertHas("System.Runtime.CompilerServices.RefSafetyRulesAttribute: type defined in namespace System.Runtime.CompilerServices: a compiler-synthesized type or a copy of an mscorlib type");
        AssertClean(Check(Model));
    }

    [Theory]
    [InlineData("public static int Read(in int x) { return x; }", "IsReadOnlyAttribute")]
    [InlineData("public static int Read(ref readonly int x) { return x; }", "RequiresLocationAttribute")]
    [InlineData("public static void Clear(scoped ref int x) { x = 0; }", "ScopedRefAttribute")]
    public void ParameterModifiersThatMakeRoslynSynthesizeAnAttributeAreCaught(string method, string attribute)
    {
        CheckResult result = Check(Model + "namespace QuantEdge.Runtime { public static class P { " + method + " } }", LanguageVersion.Latest);

        Assert.Contains(result.Violations, v => v.Rule == Rule.SynthesizedType && v.Location == "System.Runtime.CompilerServices." + attribute);
    }

    [Fact]
    public void TypeMarkedEmbeddedIsCaughtInAnyNamespace()
    {
        CheckResult result = Check(Model + """
            namespace Microsoft.CodeAnalysis { internal sealed class EmbeddedAttribute : System.Attribute { } }
            namespace QuantEdge.Runtime { [Microsoft.CodeAnalysis.Embedded] internal sealed class Hidden { } }
            """);

        List<string> synthesized = result.Of(Rule.SynthesizedType);
        synthesized.AssertHas("QuantEdge.Runtime.Hidden: type marked [Embedded]: synthesized by the compiler");
        Assert.Equal(2, synthesized.Count);
    }

    /// <summary>
    /// A stand-in mscorlib with members nanoFramework's lacks, so a snippet compiled against it
    /// references them the way code built against another class library would.
    /// </summary>
    private const string WiderCorlib = """
        namespace System
        {
            public class Object { }
            public abstract class ValueType { }
            public abstract class Enum : ValueType { }
            public struct Void { }
            public struct Boolean { }
            public struct Int32 { }
            public struct Int64 { }
            public abstract class Array { }
            public class Attribute { }
            public sealed class String
            {
                public int Length { get { return 0; } }
                public static string Join(string separator, string[] values) { return separator; }
                public string Substring(long start) { return this; }
            }
            public static class Math { public static int Abs(int value) { return value; } }
            public sealed class Outer { public sealed class Inner { } }
            namespace Diagnostics { public sealed class DebuggableAttribute : Attribute { public enum DebuggingModes { None = 0 } } }
        }
        """;

    [Fact]
    public void TypesAndMembersAbsentFromNanoMscorlibAreCaughtByNameAndSignature()
    {
        (byte[] corlib, _) = Compile(WiderCorlib, assemblyName: "mscorlib", references: Array.Empty<MetadataReference>());
        (byte[] image, _) = Compile("""
            namespace QuantEdge.Runtime
            {
                public static class Text
                {
                    public static System.Outer.Inner Missing;
                    public static System.Diagnostics.DebuggableAttribute.DebuggingModes Present;
                    public static int Joined(string[] parts) { return string.Join(",", parts).Length; }
                    public static int Abs(int x) { return System.Math.Abs(x); }
                    public static string Tail(string s) { return s.Substring(1L); }
                }
            }
            """, references: new[] { Reference(corlib) });

        List<string> found = Check(image).Of(Rule.Mscorlib);
        found.AssertHas("QuantEdge.Runtime.Text::Missing: uses System.Outer/Inner, which nanoFramework mscorlib 1.17.11 does not define");
        found.AssertHas("QuantEdge.Runtime.Text::Missing: uses System.Outer, which nanoFramework mscorlib 1.17.11 does not define");
        found.AssertHas("QuantEdge.Runtime.Text::Joined: uses string System.String::Join(string, string[]), which nanoFramework mscorlib 1.17.11 has no member with that name and signature");
        found.AssertHas("QuantEdge.Runtime.Text::Abs: uses System.Math, which nanoFramework mscorlib 1.17.11 does not define");
        found.AssertHas("QuantEdge.Runtime.Text::Tail: uses instance string System.String::Substring(int64), which nanoFramework mscorlib 1.17.11 has no member with that name and signature");
        Assert.True(found.Count == 5, string.Join("\n", found));
    }

    [Fact]
    public void ReferenceToAnotherAssemblyIsCaught()
    {
        (byte[] other, _) = Compile("namespace Helpers { public static class Maths { public static int Twice(int x) { return 2 * x; } } }", assemblyName: "Helpers");
        (byte[] image, _) = Compile("namespace QuantEdge.Runtime { public static class Uses { public static int F(int x) { return Helpers.Maths.Twice(x); } } }",
            references: new[] { Reference(other), Reference(File.ReadAllBytes(MscorlibPath)) });

        Check(image).Of(Rule.Mscorlib).AssertHas("QuantEdge.Runtime: references assembly Helpers: only mscorlib and the device assemblies may be referenced");
    }

    [Fact]
    public void DeviceAssemblyMayReferenceAnotherDeviceAssemblyWithoutAModelRoot()
    {
        (byte[] runtime, _) = Compile("namespace QuantEdge.Runtime { public static class Maths { public static int Twice(int x) { return 2 * x; } } }");
        (byte[] node, _) = Compile("namespace QuantEdge.Node { public static class Uses { public static int F(int x) { return QuantEdge.Runtime.Maths.Twice(x); } } }",
            assemblyName: "QuantEdge.Node", references: new[] { Reference(runtime), Reference(File.ReadAllBytes(MscorlibPath)) });

        using ModuleImage module = ModuleImage.FromBytes(node);
        AssertClean(Checks.Run(module, Corlib, [], ["QuantEdge.Runtime"]));
        using ModuleImage again = ModuleImage.FromBytes(node);
        Assert.Contains(Checks.Run(again, Corlib, [], []).Violations, v => v.Message.StartsWith("references assembly QuantEdge.Runtime", StringComparison.Ordinal));
    }

    [Fact]
    public void FloatingPointTypesAndOpcodesAreCaught()
    {
        CheckResult result = Check(Model + """
            namespace QuantEdge.Runtime
            {
                public static class Gain
                {
                    public static float Factor;
                    public static double Scale(double x) { return x * 0.5; }
                    public static int Twice(int x) { float f = x; return (int)(f * 2f + f); }
                }
            }
            """);

        List<string> found = result.Of(Rule.FloatingPoint);
        found.AssertHas("QuantEdge.Runtime.Gain::Factor: floating point type in field type: float32");
        found.AssertHas("QuantEdge.Runtime.Gain::Scale: floating point type in method signature: float64 (float64)");
        found.AssertHas("QuantEdge.Runtime.Gain::Scale: floating point IL: ldc.r8");
        found.AssertHas("QuantEdge.Runtime.Gain::Twice: floating point IL: conv.r4, ldc.r4");
        found.AssertHas("QuantEdge.Runtime.Gain::Twice: floating point type in local variables: (float32)");
    }
}
