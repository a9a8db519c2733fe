using System.Reflection;
using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.Ops;
using QuantEdge.Compiler.PreQuantized;
using QuantEdge.Compiler.Quantization.Lowering;

namespace QuantEdge.Compiler.Tests;

/// <summary>
/// The passes find an op's part (in <c>Ops/&lt;Op&gt;.cs</c>) by its <see cref="ForOpAttribute"/> key and call it
/// by reflection, so what the compiler would check of a switch is checked here: every part takes what its
/// pass hands it, and no device step or op record lacks a part.
/// </summary>
public class OpPartsTests
{
    private static IEnumerable<(MethodInfo Method, object Key)> Parts(Type pass) =>
        pass.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly)
            .SelectMany(m => m.GetCustomAttributes<ForOpAttribute>().Select(a => (m, a.Key)));

    [Theory]
    [InlineData(typeof(OnnxGraphImporter))]
    [InlineData(typeof(PreQuantizedGraph))]
    public void EveryImportTakesTheNodeContextAndIsKeyedByAnOnnxOpType(Type pass)
    {
        Assert.NotEmpty(Parts(pass));
        foreach ((MethodInfo method, object key) in Parts(pass))
        {
            Assert.IsType<string>(key);
            Assert.Equal([typeof(OnnxNodeContext)], method.GetParameters().Select(p => p.ParameterType));
        }
    }

    [Fact]
    public void EveryPlanTakesTheNodeTypeItIsKeyedBy()
    {
        foreach ((MethodInfo method, object key) in Parts(typeof(DevicePlan)))
        {
            Type node = Assert.IsAssignableFrom<Type>(key);
            Assert.True(node.IsAssignableTo(typeof(Node)), $"{method.Name}: {node.Name} is not a node");
            Assert.Equal([node], method.GetParameters().Select(p => p.ParameterType));
        }
    }

    [Fact]
    public void EveryStepKindHasOneLoweringToAnOpRecord()
    {
        var lowerings = Parts(typeof(Lowerer)).ToList();
        Assert.Equal(Enum.GetValues<StepKind>().Order(), lowerings.Select(p => (StepKind)p.Key).Order());
        foreach ((MethodInfo method, _) in lowerings)
        {
            Assert.Equal([typeof(StepTensors)], method.GetParameters().Select(p => p.ParameterType));
            Assert.True(method.ReturnType.IsAssignableTo(typeof(DeviceOp)), $"{method.Name} returns {method.ReturnType.Name}");
        }
    }

    [Fact]
    public void EveryOpRecordHasOneQdqExportTakingIt()
    {
        var exports = Parts(typeof(QdqGraph)).ToList();
        Type[] records = typeof(DeviceOp).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(DeviceOp)) && !t.IsAbstract).ToArray();
        Assert.Equal(records.Select(t => t.Name).Order(), exports.Select(p => ((Type)p.Key).Name).Order());
        foreach ((MethodInfo method, object key) in exports)
        {
            Assert.Equal([(Type)key], method.GetParameters().Select(p => p.ParameterType));
        }
    }

    [Fact]
    public void AKeyGivenTwiceIsRefused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new OpParts<string>(typeof(TwoPartsForOneOp)));
        Assert.Contains("two parts for op Relu", e.Message);
    }

    private sealed class TwoPartsForOneOp
    {
        [ForOp("Relu")]
        public void First()
        {
        }

        [ForOp("Relu")]
        public void Second()
        {
        }
    }
}
