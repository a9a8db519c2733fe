using System.Reflection;

// Assembly identity for the nanoFramework builds (QuantEdge.Node.DeviceTests.nfproj and .csproj).
[assembly: AssemblyTitle("NFUnitTest")]
[assembly: AssemblyDescription("QuantEdge device tests: the sensor node and the firmware's boot path on the nanoCLR")]
[assembly: AssemblyProduct("QuantEdge")]
[assembly: AssemblyVersion("1.0.0.0")]
