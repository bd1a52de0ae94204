using EnergyHub.Commands;
using EnergyHub.Devices;
using EnergyHub.Observers;
using EnergyHub.Readings;
using EnergyHub.Services.Notifier;
using EnergyHub.Site;

namespace EnergyHub.Services.Tests.Notifier;

/// <summary>Which observations become a message, as a table of what happens one after the other.</summary>
public sealed class NotificationRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static ReadingObserved Car(EvCarState car, double powerW, double? sessionWh = null) =>
        new(T0, "ev", new DeviceReading { Timestamp = T0, Charger = new EvChargerReading(car, powerW, 16, 3) { SessionEnergyWh = sessionWh } });

    private static CommandObserved Mode(BatteryMode mode, CommandStatus status = CommandStatus.Sent) =>
        new(T0, new CommandRequest("battery", "BatteryMode", (int)mode, "BatteryScheduler", $"the plan says {mode}"), new CommandResult(status));

    private static CommandObserved Limit(CommandStatus status) =>
        new(T0, new CommandRequest("inverter", "ActivePowerLimitPct", 0, "ExportGuard", "feed-in below 0"), new CommandResult(status, status == CommandStatus.Failed ? "timeout" : null));

    private static HealthObserved Health(DeviceHealth before, DeviceHealth after) => new(T0, "grid", before, after, after == DeviceHealth.Offline ? "no answer from 192.0.2.10" : null);

    private static IEnumerable<TestCaseData> Sequences()
    {
        yield return new TestCaseData(new SiteObservation[] { Car(EvCarState.Connected, 0), Car(EvCarState.Charging, 7400), Car(EvCarState.Charging, 7300), Car(EvCarState.Complete, 0, 12_340) },
            new[] { "ev: charging started|ev charges the car at 7.4 kW on 3 phase(s).", "ev: charging stopped|ev stopped charging the car (Complete): 12.34 kWh this session." })
            .SetName("A car's charge: its start and its end once each, the first reading only says where it is");
        yield return new TestCaseData(new SiteObservation[] { Car(EvCarState.Charging, 7400) }, Array.Empty<string>())
            .SetName("A car already charging at start is no news");
        yield return new TestCaseData(new SiteObservation[] { Mode(BatteryMode.Auto), Mode(BatteryMode.ChargeFromGrid), Mode(BatteryMode.ChargeFromGrid, CommandStatus.Failed), Mode(BatteryMode.Hold) },
            new[]
            {
                "battery: charging from the grid|BatteryScheduler: the plan says ChargeFromGrid",
                "!battery.BatteryMode: command failed|BatteryScheduler could not set battery.BatteryMode = 2 (the plan says ChargeFromGrid): no reason given",
                "battery: grid charging ended|BatteryScheduler set Hold: the plan says Hold",
            })
            .SetName("The battery's grid charge: begun and ended by commands that went out; one that failed is a fault");
        yield return new TestCaseData(new SiteObservation[] { Health(DeviceHealth.Online, DeviceHealth.Stale), Health(DeviceHealth.Stale, DeviceHealth.Offline), Health(DeviceHealth.Offline, DeviceHealth.Offline), Health(DeviceHealth.Offline, DeviceHealth.Online) },
            new[] { "!grid is offline|grid has not answered: no answer from 192.0.2.10. The services that need it fall back to their fail-safe until it answers again.", "grid is back|grid answers again." })
            .SetName("A device offline once, and back; stale alone is no news");
        yield return new TestCaseData(new SiteObservation[] { Limit(CommandStatus.Failed), Limit(CommandStatus.Failed), Limit(CommandStatus.Sent), Limit(CommandStatus.Failed) },
            new[] { "!inverter.ActivePowerLimitPct: command failed|ExportGuard could not set inverter.ActivePowerLimitPct = 0 (feed-in below 0): timeout", "!inverter.ActivePowerLimitPct: command failed|ExportGuard could not set inverter.ActivePowerLimitPct = 0 (feed-in below 0): timeout" })
            .SetName("A failing command once until one of its kind goes through");
    }

    [TestCaseSource(nameof(Sequences))]
    public void Only_changes_become_messages(SiteObservation[] observations, string[] expected)
    {
        var rules = new NotificationRules(charging: true, faults: true);
        var messages = observations.Select(rules.Next).OfType<Notification>().Select(n => $"{(n.IsFault ? "!" : "")}{n.Title}|{n.Message}");
        Assert.That(messages, Is.EqualTo(expected));
    }

    [Test]
    public void Events_not_asked_for_are_not_told()
    {
        var faultsOnly = new NotificationRules(charging: false, faults: true);
        var charging = new SiteObservation[] { Car(EvCarState.Connected, 0), Car(EvCarState.Charging, 7400), Mode(BatteryMode.ChargeFromGrid) };
        Assert.That(charging.Select(faultsOnly.Next).OfType<Notification>(), Is.Empty);
        var chargingOnly = new NotificationRules(charging: true, faults: false);
        Assert.That(new SiteObservation[] { Health(DeviceHealth.Online, DeviceHealth.Offline), Limit(CommandStatus.Failed) }.Select(chargingOnly.Next).OfType<Notification>(), Is.Empty);
    }
}
