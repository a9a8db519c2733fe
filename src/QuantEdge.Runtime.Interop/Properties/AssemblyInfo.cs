using System.Reflection;
using System.Runtime.CompilerServices;

// The interop assembly's identity. A firmware checks the name, AssemblyNativeVersion and the stubs'
// checksum when it loads this assembly: keep them in step with src/QuantEdge.Native/interop (tools/native-stubs).
[assembly: AssemblyTitle("QuantEdge.Runtime.Interop")]
[assembly: AssemblyDescription("Native int8 kernels of QuantEdge.Runtime, for a nanoFramework firmware built with them")]
[assembly: AssemblyProduct("QuantEdge")]
[assembly: AssemblyVersion("1.0.0.0")]
[assembly: AssemblyNativeVersion("1.0.0.0")]
