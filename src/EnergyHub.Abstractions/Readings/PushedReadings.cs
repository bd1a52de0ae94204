namespace EnergyHub.Readings;

/// <summary>
/// The last reading a push device (MQTT, a websocket) was sent, for its <see cref="Devices.IDevice.ReadAsync"/>: the
/// subscription calls <see cref="Push"/>, the poller's read returns <see cref="Latest"/>. A device that stops sending
/// keeps returning its last reading, whose age grows from its <see cref="DeviceReading.Timestamp"/>, so the core marks it
/// Stale exactly as for a polled device that stopped answering.
/// </summary>
/// <param name="deviceId">The device, for the message when nothing has arrived yet.</param>
public sealed class PushedReadings(string deviceId)
{
    private DeviceReading? _latest;

    /// <summary>Keeps <paramref name="reading"/> unless a newer one is already kept (messages may arrive out of order).</summary>
    public void Push(DeviceReading reading)
    {
        DeviceReading? current;
        do
        {
            current = Volatile.Read(ref _latest);
            if (current is not null && current.Timestamp > reading.Timestamp)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _latest, reading, current) != current);
    }

    /// <summary>The newest reading pushed so far.</summary>
    /// <exception cref="InvalidOperationException">Nothing has been pushed yet (the device then counts as not answering).</exception>
    public DeviceReading Latest() =>
        Volatile.Read(ref _latest) ?? throw new InvalidOperationException($"{deviceId} has sent nothing yet; check that it publishes and that the subscription matches");
}
