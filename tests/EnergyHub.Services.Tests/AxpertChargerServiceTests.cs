using EnergyHub.Commands;
using EnergyHub.Readings;
using EnergyHub.Services.AxpertCharger;
using EnergyHub.Site;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Services.Tests;

public sealed class AxpertChargerServiceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Records every command and answers with <see cref="Answer"/>.</summary>
    private sealed class RecordingGate : ICommandGate
    {
        public List<CommandRequest> Sent { get; } = [];

        public CommandStatus Answer { get; set; } = CommandStatus.Sent;

        public Task<CommandResult> SendAsync(DeviceCommand command, CancellationToken cancellationToken)
        {
            Sent.Add(new CommandRequest(command.DeviceId, command.Kind, command.Value, "AxpertCharger", command.Reason) { IsSafety = command.IsSafety });
            return Task.FromResult(new CommandResult(Answer));
        }
    }

    private static ServiceTick Tick(RecordingGate gate, double seconds, double? volts)
    {
        var now = T0.AddSeconds(seconds);
        var devices = new Dictionary<string, DeviceState>();
        if (volts is { } v)
        {
            var reading = new DeviceReading { Timestamp = now, Battery = new BatteryReading(90, 1000) { VoltageV = v, CurrentA = 20 } };
            devices["axpert"] = new DeviceState("axpert", "axpert", "Axpert", reading, DeviceHealth.Online, TimeSpan.Zero, 0, null);
        }
        return new ServiceTick(now, new SiteSnapshot(now, devices), gate);
    }

    [Test]
    public async Task Writes_only_when_the_setpoint_changes_or_a_write_did_not_take_and_restores_float_on_stop()
    {
        var gate = new RecordingGate();
        var service = new AxpertChargerService(new AxpertChargerOptions { Battery = "axpert" }, NullLogger.Instance);

        await service.ExecuteAsync(Tick(gate, 0, null), CancellationToken.None);
        Assert.That(gate.Sent, Is.Empty, "nothing is written before the first reading");

        await service.ExecuteAsync(Tick(gate, 10, 55.0), CancellationToken.None);
        await service.ExecuteAsync(Tick(gate, 20, 55.1), CancellationToken.None);
        Assert.That(gate.Sent.Select(r => (r.Command, r.Value, r.IsSafety)), Is.EqualTo(new[] { ("FloatVoltageV", 58.4, false) }), "bulk: float = absorption, once");

        gate.Answer = CommandStatus.Failed;
        var failing = new AxpertChargerService(new AxpertChargerOptions { Battery = "axpert" }, NullLogger.Instance);
        await failing.ExecuteAsync(Tick(gate, 30, 55.0), CancellationToken.None);
        await failing.ExecuteAsync(Tick(gate, 40, 55.0), CancellationToken.None);
        Assert.That(gate.Sent, Has.Count.EqualTo(3), "a failed write is tried again on the next tick");

        gate.Answer = CommandStatus.Sent;
        await service.StopAsync(Tick(gate, 50, 55.0), CancellationToken.None);
        Assert.That((gate.Sent[^1].Value, gate.Sent[^1].IsSafety), Is.EqualTo((52.8, true)), "stop restores the real float voltage as a fail-safe");
    }
}
