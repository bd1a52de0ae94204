namespace EnergyHub.Services;

/// <summary>
/// Thrown by <see cref="IService.StopAsync"/> when the device did not confirm the safe state (the write failed or was
/// refused). The core retries the stop until its shutdown budget ends, logs an error if it never succeeds, and the
/// process exits non-zero so a supervisor (systemd) knows.
/// </summary>
public sealed class SafeStateNotConfirmedException(string message) : Exception(message);
