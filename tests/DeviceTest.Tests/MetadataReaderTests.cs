using QuantEdge.DeviceTest.Running;

namespace QuantEdge.DeviceTest.Tests;

public class MetadataReaderTests
{
    private const string TestFramework = """
        namespace nanoFramework.TestFramework
        {
            public class TestClassAttribute : System.Attribute { }
            public class TestMethodAttribute : System.Attribute { }
            public class SetupAttribute : System.Attribute { }
            public class CleanupAttribute : System.Attribute { }
            [System.AttributeUsage(System.AttributeTargets.Method, AllowMultiple = true)]
            public class DataRowAttribute : System.Attribute { public DataRowAttribute(params object[] values) { } }
        }
        """;

    /// <summary>
    /// One result per test method without rows, one per [DataRow], one per [Setup] and [Cleanup];
    /// nothing from classes without [TestClass] or methods without [TestMethod].
    /// </summary>
    [Fact]
    public void DeclaredTests_CountsWhatTheLauncherReports()
    {
        using var snippets = new Snippets();
        snippets.Compile("nanoFramework.TestFramework", TestFramework);
        string tests = snippets.Compile("NFUnitTest", """
            using nanoFramework.TestFramework;
            [TestClass] public class A
            {
                [Setup] public void Start() { }
                [TestMethod] public void One() { }
                [TestMethod, DataRow(1), DataRow(2), DataRow(3)] public void Three(int x) { }
                public void Helper() { }
                [Cleanup] public void End() { }
            }
            [TestClass] public class B { [TestMethod] public void Two() { } }
            public class NotATestClass { [TestMethod] public void Ignored() { } }
            """, "nanoFramework.TestFramework");
        Assert.Equal(1 + 1 + 3 + 1 + 1, DeclaredTests.Count(tests));
    }

    [Fact]
    public void LoadOrder_PutsEveryDependencyFirstAndNamesWhatIsMissing()
    {
        using var snippets = new Snippets();
        string low = snippets.Compile("Low", "public class L { }");
        string middle = snippets.Compile("Middle", "public class M { public L l; }", "Low");
        string app = snippets.Compile("App", "public class A { public M m; public L l; }", "Middle", "Low");
        string other = snippets.Compile("Other", "public class O { }");
        string[] known = [app, middle, low, other, typeof(object).Assembly.Location];

        IReadOnlyList<DeviceAssembly> order = AssemblyClosure.LoadOrder(["Other", "App"], known);
        string[] names = order.Select(a => a.Name).ToArray();
        Assert.Equal("App", names[^1]);
        Assert.True(Array.IndexOf(names, "Low") < Array.IndexOf(names, "Middle"));
        Assert.Equal(names.Length, names.Distinct().Count());
        Assert.Contains(typeof(object).Assembly.GetName().Name, names);

        var error = Assert.Throws<DeviceTestException>(() => AssemblyClosure.LoadOrder(["App"], [app, low, typeof(object).Assembly.Location]));
        Assert.Contains("Middle, referenced by App,", error.Message);
    }
}
