using System.Reflection;

// Assembly identity for the nanoFramework builds (QuantEdge.Runtime.nfproj and QuantEdge.Runtime.Nano.csproj);
// the desktop build generates its own.
[assembly: AssemblyTitle("QuantEdge.Runtime")]
[assembly: AssemblyDescription("int8 fixed-point inference runtime for .NET nanoFramework")]
[assembly: AssemblyProduct("QuantEdge")]
[assembly: AssemblyVersion("0.1.0.0")]
