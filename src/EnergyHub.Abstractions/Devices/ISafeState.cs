namespace EnergyHub.Devices;

/// <summary>
/// A device that has a state it can be left in unattended: an inverter producing freely (limit 100 %), a charger or
/// relay off, a battery in self-consumption. <c>energyhub safe-state</c> (run by the systemd unit after the daemon
/// stops, even after a crash or kill -9) writes it without starting any service, so a dead daemon never leaves an
/// inverter curtailed or a relay on. Like every command it runs through the device's session, one at a time.
/// </summary>
public interface ISafeState : IDevice
{
    /// <summary>The safe state in a few words, e.g. "active power limit 100 %", for logs and the CLI.</summary>
    string SafeStateDescription { get; }

    /// <summary>Puts the device into its safe state and confirms it (by reading back where the device allows); throws when it cannot.</summary>
    Task EnterSafeStateAsync(CancellationToken cancellationToken);
}
