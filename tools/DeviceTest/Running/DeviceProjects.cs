namespace QuantEdge.DeviceTest.Running;

/// <summary>
/// The device projects tools/device-test builds, converts and runs: the one place to add more.
/// Libraries (the runtime, the node, the firmware) need no line of their own: they come in through
/// the ProjectReferences of the test assemblies and the benchmark, and everything an assembly
/// references is converted and loaded before it.
/// </summary>
public static class DeviceProjects
{
    /// <summary>nanoFramework.TestFramework assemblies (each named NFUnitTest), each run on its own nanoCLR.</summary>
    public static readonly string[] Tests =
    [
        "tests/QuantEdge.DeviceTests/QuantEdge.DeviceTests.csproj",
        "tests/QuantEdge.Node.DeviceTests/QuantEdge.Node.DeviceTests.csproj",
    ];

    /// <summary>
    /// Test assemblies that need a nanoCLR with the native kernels (QuantEdge.Runtime.Interop): run only by
    /// tools/device-test --native, after <see cref="Tests"/>. On the stock interpreter every test there would throw
    /// NotSupportedException.
    /// </summary>
    public static readonly string[] NativeTests =
    [
        "tests/QuantEdge.NativeDeviceTests/QuantEdge.NativeDeviceTests.csproj",
    ];

    /// <summary>
    /// Applications built and converted but not run: the firmware needs hardware natives (ADC, PWM, ESP32
    /// sleep) the interpreter lacks; its boot path runs in the node device tests instead, with fakes.
    /// </summary>
    public static readonly string[] Apps =
    [
        "src/QuantEdge.Firmware/QuantEdge.Firmware.Nano.csproj",
    ];

    /// <summary>
    /// Classic nanoFramework projects (.nfproj, for Visual Studio) and the SDK-style projects CI builds
    /// instead: each pair must compile the same source files and embed the same resources.
    /// </summary>
    public static readonly (string Nfproj, string Sdk)[] Twins =
    [
        ("src/QuantEdge.Runtime.Interop/QuantEdge.Runtime.Interop.nfproj", "src/QuantEdge.Runtime.Interop/QuantEdge.Runtime.Interop.Nano.csproj"),
        ("src/QuantEdge.Runtime/nanoFramework/QuantEdge.Runtime.nfproj", "src/QuantEdge.Runtime/nanoFramework/QuantEdge.Runtime.Nano.csproj"),
        ("src/QuantEdge.Node/nanoFramework/QuantEdge.Node.nfproj", "src/QuantEdge.Node/nanoFramework/QuantEdge.Node.Nano.csproj"),
        ("src/QuantEdge.Firmware/QuantEdge.Firmware.nfproj", "src/QuantEdge.Firmware/QuantEdge.Firmware.Nano.csproj"),
        ("tests/QuantEdge.DeviceTests/QuantEdge.DeviceTests.nfproj", "tests/QuantEdge.DeviceTests/QuantEdge.DeviceTests.csproj"),
        ("tests/QuantEdge.Node.DeviceTests/QuantEdge.Node.DeviceTests.nfproj", "tests/QuantEdge.Node.DeviceTests/QuantEdge.Node.DeviceTests.csproj"),
        ("tests/QuantEdge.NativeDeviceTests/QuantEdge.NativeDeviceTests.nfproj", "tests/QuantEdge.NativeDeviceTests/QuantEdge.NativeDeviceTests.csproj"),
    ];

    /// <summary>The device benchmark: an app (its own Main) that prints its measurements.</summary>
    public const string Bench = "bench/QuantEdge.DeviceBench/QuantEdge.DeviceBench.csproj";

    /// <summary>What a test run loads besides the test assembly's references: the launcher that finds and runs the tests.</summary>
    public const string TestLauncher = "nanoFramework.UnitTestLauncher";
}
