using System.Reflection;

// Assembly identity for the nanoFramework builds (QuantEdge.Node.nfproj and QuantEdge.Node.Nano.csproj);
// the desktop build generates its own.
[assembly: AssemblyTitle("QuantEdge.Node")]
[assembly: AssemblyDescription("QuantEdge sensor-node logic: sampling, prediction, outputs, sleep")]
[assembly: AssemblyProduct("QuantEdge")]
[assembly: AssemblyVersion("0.1.0.0")]
