using System.Reflection;

// Assembly identity for the nanoFramework builds (QuantEdge.NativeDeviceTests.nfproj and QuantEdge.NativeDeviceTests.csproj).
[assembly: AssemblyTitle("NFUnitTest")]
[assembly: AssemblyDescription("QuantEdge native device tests: the native kernels against the managed ones, on a nanoCLR built with them")]
[assembly: AssemblyProduct("QuantEdge")]
[assembly: AssemblyVersion("1.0.0.0")]
