using System.Reflection;

// Assembly identity for the nanoFramework builds (QuantEdge.DeviceTests.nfproj and QuantEdge.DeviceTests.csproj).
[assembly: AssemblyTitle("NFUnitTest")]
[assembly: AssemblyDescription("QuantEdge device tests: the runtime on the nanoCLR")]
[assembly: AssemblyProduct("QuantEdge")]
[assembly: AssemblyVersion("1.0.0.0")]
