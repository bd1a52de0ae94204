using EnergyHub.Core.Devices;
using EnergyHub.Devices;
using EnergyHub.Options;

namespace EnergyHub.Core.Tests.Support;

public static class Sessions
{
    public static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static DeviceSession Of(IDevice device, TimeProvider time, DeviceOptions? options = null) =>
        new(device, device.GetType().Name, options ?? new DeviceOptions { Driver = "fake" }, time);

}
