using EnergyHub.Readings;
using EnergyHub.Services.ReadingLogger;
using EnergyHub.Site;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Services.Tests;

public sealed class ReadingLoggerTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Describes_health_age_and_every_value_with_its_unit()
    {
        var reading = new DeviceReading
        {
            Timestamp = Now.AddSeconds(-2),
            Meter = new MeterReading(-1234.5),
            Battery = new BatteryReading(56, 800),
        };
        var line = ReadingLoggerService.Describe(new DeviceState("grid", "sim", "Grid", reading, DeviceHealth.Online, TimeSpan.FromSeconds(2), 0, null));
        Assert.That(line, Is.EqualTo("Online, 2.0 s old: Meter.PowerW=-1234.5 W, Battery.SocPct=56 %, Battery.PowerW=800 W"));
    }

    [Test]
    public void Says_why_there_is_nothing_to_show()
    {
        var line = ReadingLoggerService.Describe(new DeviceState("grid", "sim", "Grid", null, DeviceHealth.Offline, null, 3, "connection refused"));
        Assert.That(line, Is.EqualTo("Offline, no reading yet: connection refused"));
    }

    [Test]
    public async Task A_quiet_hour_is_one_information_line_per_device_and_a_change_of_health_is_one_more()
    {
        var logger = new LevelLogger();
        var service = new ReadingLoggerService(new ReadingLoggerOptions { Devices = ["grid"] }, logger);
        var reading = new DeviceReading { Timestamp = Now, Meter = new MeterReading(100) };
        SiteSnapshot At(DateTimeOffset t, DeviceHealth health) =>
            new(t, new Dictionary<string, DeviceState> { ["grid"] = new("grid", "sim", "Grid", reading, health, TimeSpan.Zero, 0, null) });
        for (var minute = 0; minute <= 60; minute += 5)
        {
            await service.ExecuteAsync(new ServiceTick(Now.AddMinutes(minute), At(Now.AddMinutes(minute), minute is 20 or 25 ? DeviceHealth.Stale : DeviceHealth.Online), null!),
                CancellationToken.None);
        }
        // 0: the first line; 20: Stale; 25: still Stale; 30: Online again; 60: only half an hour after 30.
        var (i, d) = (LogLevel.Information, LogLevel.Debug);
        Assert.That(logger.Levels, Is.EqualTo(new[] { i, d, d, d, i, d, i, d, d, d, d, d, d }));
        service = new ReadingLoggerService(new ReadingLoggerOptions { Devices = ["grid"] }, logger = new LevelLogger());
        for (var minute = 0; minute <= 125; minute += 5)
        {
            await service.ExecuteAsync(new ServiceTick(Now.AddMinutes(minute), At(Now.AddMinutes(minute), DeviceHealth.Online), null!), CancellationToken.None);
        }
        Assert.That(logger.Levels.Count(l => l == i), Is.EqualTo(3), "at 0, 60 and 120 minutes");
    }

    private sealed class LevelLogger : ILogger
    {
        public List<LogLevel> Levels { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Levels.Add(logLevel);
    }
}
