using System.Globalization;
using EnergyHub.Commands;
using EnergyHub.Devices;
using EnergyHub.Observers;
using EnergyHub.Readings;
using EnergyHub.Site;

namespace EnergyHub.Services.Notifier;

/// <summary>One message for the owner.</summary>
/// <param name="Title">A few words: "EV charging started".</param>
/// <param name="Message">The sentence with the numbers.</param>
/// <param name="IsFault">A fault (sent with a high priority) rather than news.</param>
public sealed record Notification(string Title, string Message, bool IsFault);

/// <summary>
/// Which observations are worth a message, from the changes only: a car that starts or stops charging (its first
/// reading only sets what is known), a battery mode command that starts or ends charging from the grid, a device that
/// goes offline and the same device back online, and a command that fails (once, until one of that kind goes through).
/// </summary>
public sealed class NotificationRules(bool charging, bool faults)
{
    private readonly Dictionary<string, bool> _carCharging = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, bool> _gridCharging = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _offline = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _failing = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The message for <paramref name="observation"/>, or null.</summary>
    public Notification? Next(SiteObservation observation) => observation switch
    {
        ReadingObserved { Reading.Charger: { } charger } reading when charging => Car(reading.DeviceId, charger),
        CommandObserved { Request.Command: "BatteryMode" } command when charging && command.Result.Status == CommandStatus.Sent =>
            Battery(command.Request),
        CommandObserved command when faults => Command(command),
        HealthObserved health when faults => Health(health),
        _ => null,
    };

    private Notification? Car(string device, EvChargerReading charger)
    {
        var now = charger.Car == EvCarState.Charging && charger.PowerW > 0;
        var known = _carCharging.TryGetValue(device, out var before);
        _carCharging[device] = now;
        if (!known || before == now)
        {
            return null;
        }
        return now
            ? new Notification($"{device}: charging started", Invariant($"{device} charges the car at {charger.PowerW / 1000:0.0} kW on {charger.Phases} phase(s)."), false)
            : new Notification($"{device}: charging stopped", charger.SessionEnergyWh is { } wh
                ? Invariant($"{device} stopped charging the car ({charger.Car}): {wh / 1000:0.00} kWh this session.")
                : $"{device} stopped charging the car ({charger.Car}).", false);
    }

    private Notification? Battery(CommandRequest request)
    {
        var now = (BatteryMode)(int)request.Value == BatteryMode.ChargeFromGrid;
        var before = _gridCharging.GetValueOrDefault(request.DeviceId);
        _gridCharging[request.DeviceId] = now;
        return before == now ? null
            : now ? new Notification($"{request.DeviceId}: charging from the grid", $"{request.Source}: {request.Reason}", false)
            : new Notification($"{request.DeviceId}: grid charging ended", $"{request.Source} set {(BatteryMode)(int)request.Value}: {request.Reason}", false);
    }

    private Notification? Command(CommandObserved command)
    {
        var key = $"{command.Request.DeviceId}.{command.Request.Command}";
        if (command.Result.Status != CommandStatus.Failed)
        {
            if (command.Result.IsInEffect)
            {
                _failing.Remove(key);
            }
            return null;
        }
        return _failing.Add(key)
            ? new Notification($"{key}: command failed", Invariant($"{command.Request.Source} could not set {key} = {command.Request.Value:0.##} ({command.Request.Reason}): {command.Result.Detail ?? "no reason given"}"), true)
            : null;
    }

    private Notification? Health(HealthObserved health)
    {
        if (health.After == DeviceHealth.Offline)
        {
            return _offline.Add(health.DeviceId)
                ? new Notification($"{health.DeviceId} is offline", $"{health.DeviceId} has not answered{(health.Error is { } error ? $": {error}" : "")}. The services that need it fall back to their fail-safe until it answers again.", true)
                : null;
        }
        return health.After == DeviceHealth.Online && _offline.Remove(health.DeviceId)
            ? new Notification($"{health.DeviceId} is back", $"{health.DeviceId} answers again.", false)
            : null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
