namespace EnergyHub.Devices;

/// <summary>
/// Declares that a device class touches nothing outside the process: no network, no serial port, no file another
/// program reads. Only such devices may run under <c>energyhub simulate</c> and other replays, which drive a virtual
/// clock as fast as the machine allows. A device class without it is treated as real hardware (the safe default for a
/// third-party driver that says nothing).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true, AllowMultiple = false)]
public sealed class SimulatedAttribute : Attribute;
