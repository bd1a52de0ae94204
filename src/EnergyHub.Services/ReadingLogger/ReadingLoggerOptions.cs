using EnergyHub.Options;

namespace EnergyHub.Services.ReadingLogger;

/// <summary>The <c>[ReadingLogger]</c> section.</summary>
public sealed class ReadingLoggerOptions : ServiceOptions
{
    /// <summary>Devices to log, comma-separated; empty logs every device.</summary>
    [DeviceRef]
    public IReadOnlyList<string> Devices { get; init; } = [];

    /// <summary>
    /// A device's line is written at Information when its health changed since its last line, or this long after its
    /// last Information line; every other tick's line is at Debug (a quiet night is a few lines an hour, not hundreds).
    /// </summary>
    public TimeSpan InformationEvery { get; init; } = TimeSpan.FromHours(1);
}
