using QuantEdge.DeviceTest.Generation;

namespace QuantEdge.DeviceTest.Tests;

public class ResourceIdTests
{
    /// <summary>
    /// The ids nanoFramework's own tools give these names: the Samples' ManagedResources Designer.cs
    /// (String1, String2, the logo) and the values shared/nanoframework README quotes (model, blob).
    /// </summary>
    [Theory]
    [InlineData("String1", 1228)]
    [InlineData("String2", 1225)]
    [InlineData("nano_Framework_logo_32_border_trans", 23065)]
    [InlineData("model", -2404)]
    [InlineData("blob", 31602)]
    public void MatchesNanoFrameworksHash(string name, short id) => Assert.Equal(id, ResourceId.Of(name));
}
