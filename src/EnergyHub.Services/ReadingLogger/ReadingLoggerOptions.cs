using EnergyHub.Options;

namespace EnergyHub.Services.ReadingLogger;

/// <summary>The <c>[ReadingLogger]</c> section.</summary>
public sealed class ReadingLoggerOptions : ServiceOptions
{
    /// <summary>Devices to log, comma-separated; empty logs every device.</summary>
    [DeviceRef]
    public IReadOnlyList<string> Devices { get; init; } = [];
}
