using static QuantEdge.NfCheck.Tests.Nano;

namespace QuantEdge.NfCheck.Tests;

public class AllocationTests
{
    private const string Grow = """
        namespace QuantEdge.Runtime
        {
            public sealed class Model
            {
                public void Invoke(sbyte[] arena) { Kernels.Grow.Eval(arena, 0, 1); }
            }
        }
        namespace QuantEdge.Runtime.Kernels
        {
            public sealed class GrowParams { public int[] Scratch = new int[8]; }
            public static class Grow
            {
                public static void Eval(sbyte[] arena, int inputOffset, int outputOffset)
                {
                    arena[outputOffset] = (sbyte)Scratch(arena[inputOffset]).Length;
                    Log(inputOffset);
                }
                private static int[] Scratch(int n) { return new int[n]; }
                private static void Log(int x) { Describe(x); }
                private static void Describe(object o) { Sink(string.Concat("v", "w")); }
                private static void Sink(string s) { }
            }
        }
        """;

    [Fact]
    public void EachAllocatingMethodIsNamedWithItsPathFromTheModel()
    {
        List<string> found = Check(Grow).Of(Rule.Allocation);

        found.AssertHas("QuantEdge.Runtime.Kernels.Grow::Scratch: newarr System.Int32 in a method reachable from Model::Invoke (Model::Invoke -> Grow::Eval -> Grow::Scratch)");
        found.AssertHas("QuantEdge.Runtime.Kernels.Grow::Log: box System.Int32 in a method reachable from Model::Invoke (Model::Invoke -> Grow::Eval -> Grow::Log)");
        found.AssertHas("QuantEdge.Runtime.Kernels.Grow::Describe: call string System.String::Concat(string, string) (outside the assembly; may allocate) in a method reachable from Model::Invoke (Model::Invoke -> Grow::Eval -> Grow::Log -> Grow::Describe)");
        Assert.True(found.Count == 3, string.Join("\n", found));
    }

    [Fact]
    public void AnExceptionThrownAtOnceWithAConstantMessageIsNotAnAllocationButABuiltMessageIs()
    {
        List<string> found = Check(Model + """
            namespace QuantEdge.Runtime.Kernels
            {
                public static class Fails
                {
                    public static void Eval(sbyte[] arena, int inputOffset, int outputOffset)
                    {
                        if (arena[inputOffset] < 0) { throw new System.InvalidOperationException("negative"); }
                        if (arena[outputOffset] < 0) { throw new System.InvalidOperationException("at " + outputOffset.ToString()); }
                    }
                }
            }
            """).Of(Rule.Allocation);

        string fails = Assert.Single(found);
        Assert.StartsWith("QuantEdge.Runtime.Kernels.Fails::Eval: call instance string System.Int32::ToString() (outside the assembly; may allocate); " +
            "call string System.String::Concat(string, string) (outside the assembly; may allocate) in a method reachable", fails);
        Assert.DoesNotContain("newobj", fails);
    }

    [Fact]
    public void KernelEvalIsARootEvenWhenNothingCallsIt()
    {
        CheckResult result = Check(Model + """
            namespace QuantEdge.Runtime.Kernels
            {
                public static class Lonely
                {
                    public static void Eval(sbyte[] arena, int inputOffset, int outputOffset) { Keep(new sbyte[4]); }
                    private static void Keep(sbyte[] scratch) { }
                }
            }
            """);

        result.Of(Rule.Allocation).AssertHas("QuantEdge.Runtime.Kernels.Lonely::Eval: newarr System.SByte in a method reachable from Lonely::Eval (Lonely::Eval)");
    }

    [Fact]
    public void ArrayCopyIsAllowedButOtherArrayMethodsAreNot()
    {
        CheckResult result = Check(Model + """
            namespace QuantEdge.Runtime.Kernels
            {
                public static class Move
                {
                    public static void Eval(sbyte[] arena, int inputOffset, int outputOffset)
                    {
                        System.Array.Copy(arena, inputOffset, arena, outputOffset, 4);
                        System.Array.Clear(arena, 0, 1);
                    }
                }
            }
            """);

        List<string> found = result.Of(Rule.Allocation);
        Assert.DoesNotContain(found, f => f.Contains("Array::Copy", StringComparison.Ordinal));
        found.AssertHas("QuantEdge.Runtime.Kernels.Move::Eval: call void System.Array::Clear(System.Array, int32, int32) (outside the assembly; may allocate) in a method reachable from Move::Eval (Move::Eval)");
    }

    [Fact]
    public void MissingModelRootIsAViolation()
    {
        CheckResult result = Check("namespace QuantEdge.Runtime.Kernels { public static class K { public static void Eval(sbyte[] a, int i, int o) { } } }");

        Assert.Equal(new[] { "QuantEdge.Runtime.Model::Invoke: root not found: nothing to check for allocation from the interpreter's entry point" },
            result.Of(Rule.Allocation));
    }

    [Fact]
    public void ExplicitRootsReplaceTheModelRoot()
    {
        CheckResult result = Check(Grow.Replace("Model", "Loader").Replace("Invoke", "Load"), roots: new[] { "QuantEdge.Runtime.Loader::Load", "QuantEdge.Runtime.Nowhere::Run" });

        List<string> found = result.Of(Rule.Allocation);
        found.AssertHas("QuantEdge.Runtime.Kernels.Grow::Scratch: newarr System.Int32 in a method reachable from Loader::Load (Loader::Load -> Grow::Eval -> Grow::Scratch)");
        found.AssertHas("QuantEdge.Runtime.Nowhere::Run: root not found: nothing to check for allocation from the interpreter's entry point");
        Assert.DoesNotContain(found, f => f.Contains("Model::Invoke", StringComparison.Ordinal));
    }

    [Fact]
    public void VirtualAndInterfaceCallsReachEveryOverride()
    {
        CheckResult result = Check("""
            namespace QuantEdge.Runtime
            {
                public abstract class Layer { public abstract void Run(sbyte[] arena); }
                public abstract class Pooling : Layer { }
                public interface IObserver { void Notify(int step); }
                public sealed class Dense : Layer { public override void Run(sbyte[] arena) { arena[0] = (sbyte)Scratch.Make(1).Length; } }
                public sealed class MaxPool : Pooling { public override void Run(sbyte[] arena) { arena[0] = (sbyte)Scratch.Make(2).Length; } }
                public sealed class Printer : IObserver { public void Notify(int step) { Scratch.Sink(step); } }
                public sealed class Quiet : IObserver { void IObserver.Notify(int step) { Scratch.Sink(new int[step]); } }
                public sealed class Unrelated { public void Run(sbyte[] arena) { arena[0] = (sbyte)Scratch.Make(3).Length; } }
                public static class Scratch
                {
                    public static int[] Make(int n) { return new int[n]; }
                    public static void Sink(object o) { }
                }
                public sealed class Model
                {
                    public Layer[] Layers;
                    public IObserver Observer;
                    public void Invoke(sbyte[] arena)
                    {
                        for (int i = 0; i < Layers.Length; i++) { Layers[i].Run(arena); Observer.Notify(i); }
                    }
                }
            }
            """);

        List<string> found = result.Of(Rule.Allocation);
        found.AssertHas("QuantEdge.Runtime.Scratch::Make: newarr System.Int32 in a method reachable from Model::Invoke (Model::Invoke -> Dense::Run -> Scratch::Make)");
        found.AssertHas("QuantEdge.Runtime.Printer::Notify: box System.Int32 in a method reachable from Model::Invoke (Model::Invoke -> Printer::Notify)");
        found.AssertHas("QuantEdge.Runtime.Quiet::QuantEdge.Runtime.IObserver.Notify: newarr System.Int32 in a method reachable from Model::Invoke (Model::Invoke -> Quiet::QuantEdge.Runtime.IObserver.Notify)");
        Assert.True(found.Count == 3, string.Join("\n", found));
        // Invoke; Layer::Run and its overrides in Dense and MaxPool (through an abstract intermediate);
        // IObserver::Notify and both implementations; Make and Sink. Not Unrelated::Run.
        Assert.Equal(1 + 3 + 3 + 2, result.ReachableMethods);
    }
}
