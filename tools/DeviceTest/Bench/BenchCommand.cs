namespace QuantEdge.DeviceTest.Bench;

/// <summary>Placeholder until the device benchmark lands.</summary>
public static class BenchCommand
{
    public static int Run(string root, QuantEdge.DeviceTest.Running.Kit kit, TimeSpan timeout) => 2;
}
