namespace EnergyHub.Devices;

/// <summary>
/// A controllable load (a wallbox, a relay, a scripted consumer) that follows an allowance in watts.
/// Its readings fill <see cref="Readings.DeviceReading.Consumer"/>.
/// </summary>
public interface IConsumer : IDevice
{
    /// <summary>What the consumer asks for: request, minimum, step and priority.</summary>
    ConsumerProfile Profile { get; }

    /// <summary>Allows the consumer to draw up to <paramref name="watts"/> W; 0 switches it off.</summary>
    Task SetAllowanceAsync(double watts, CancellationToken cancellationToken);
}

/// <summary>What a controllable consumer asks for.</summary>
/// <param name="RequestW">The most it would draw, in W.</param>
/// <param name="MinimumW">The least it can run on once switched on, in W.</param>
/// <param name="StepW">The granularity of its allowance, in W (e.g. 1 A × phases × 230 V for a wallbox).</param>
/// <param name="Priority">Lower is served first.</param>
public sealed record ConsumerProfile(double RequestW, double MinimumW, double StepW, int Priority);
