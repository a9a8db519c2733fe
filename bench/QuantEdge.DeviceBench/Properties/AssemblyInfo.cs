using System.Reflection;

// Assembly identity for the nanoFramework build of the device benchmark.
[assembly: AssemblyTitle("QuantEdge.DeviceBench")]
[assembly: AssemblyDescription("QuantEdge kernel and model measurements on the nanoCLR")]
[assembly: AssemblyProduct("QuantEdge")]
[assembly: AssemblyVersion("1.0.0.0")]
