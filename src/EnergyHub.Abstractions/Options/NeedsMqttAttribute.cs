namespace EnergyHub.Options;

/// <summary>
/// Marks the options of a service or driver that talks through the site's broker: config validation refuses it while
/// <c>[Mqtt] Enabled</c> is off, in one line, rather than letting it fail on every tick.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class NeedsMqttAttribute : Attribute;
