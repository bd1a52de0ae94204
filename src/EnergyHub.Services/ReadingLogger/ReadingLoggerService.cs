using EnergyHub.Readings;
using EnergyHub.Core;
using EnergyHub.Site;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Services.ReadingLogger;

/// <summary>
/// Writes one log line per device per tick with its health, age and every value with its unit, so a person
/// watching the console or the log file sees what EnergyHub sees: at Information when the device's health changed or
/// <see cref="ReadingLoggerOptions.InformationEvery"/> has passed since its last such line, else at Debug. Controls nothing.
/// </summary>
public sealed class ReadingLoggerService(ReadingLoggerOptions options, ILogger logger) : IService
{
    public const string ServiceName = "ReadingLogger";

    private readonly Dictionary<string, (DeviceHealth Health, DateTimeOffset At)> _lastInformation = [];

    public string Name => ServiceName;

    public Task ExecuteAsync(ServiceTick tick, CancellationToken cancellationToken)
    {
        var ids = options.Devices.Count > 0 ? options.Devices : tick.Site.Devices.Keys.Order(StringComparer.Ordinal).ToList();
        foreach (var id in ids)
        {
            var state = tick.Site[id];
            var level = LevelOf(id, state.Health, tick.Now);
            if (logger.IsEnabled(level))
            {
                logger.Log(level, "{Device}: {Line}", id, Describe(state));
            }
        }
        return Task.CompletedTask;
    }

    private LogLevel LevelOf(string id, DeviceHealth health, DateTimeOffset now)
    {
        if (_lastInformation.TryGetValue(id, out var last) && last.Health == health && now - last.At < options.InformationEvery)
        {
            return LogLevel.Debug;
        }
        _lastInformation[id] = (health, now);
        return LogLevel.Information;
    }

    public Task StopAsync(ServiceTick tick, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>"Online, 1.2 s old: Meter.PowerW=-350 W, ..." or the reason there is nothing to show.</summary>
    public static string Describe(DeviceState state) => state switch
    {
        { Reading: null, LastError: { } error } => $"{state.Health}, no reading yet: {error}",
        { Reading: null } => $"{state.Health}, no reading yet",
        { Reading: { } reading, Age: { } age } =>
            $"{state.Health}, {age.TotalSeconds:0.0} s old: {ReadingSeries.Describe(reading)}"
            + (state.LastError is { } last ? $" (last read failed: {last})" : ""),
        _ => state.Health.ToString(),
    };
}
