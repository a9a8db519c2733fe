using System.Reflection;

[assembly: AssemblyTitle("QuantEdge.Firmware")]
[assembly: AssemblyDescription("QuantEdge sensor node for ESP32: a QuantEdge model, its sensors and its pins")]
[assembly: AssemblyProduct("QuantEdge")]
[assembly: AssemblyVersion("0.1.0.0")]
