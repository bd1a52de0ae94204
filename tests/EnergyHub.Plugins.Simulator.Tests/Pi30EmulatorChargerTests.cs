using EnergyHub.Time;
using EnergyHub.TestSupport;
using EnergyHub.Plugins.Axpert;
using EnergyHub.Plugins.Simulator.OffGrid;
using EnergyHub.Protocols.Serial;
using EnergyHub.Services.AxpertCharger;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Plugins.Simulator.Tests;

/// <summary>The axpert driver and the charger's decisions against the PI30 emulator, over a socat pty pair.</summary>
public sealed class Pi30EmulatorChargerTests
{

    [Test]
    public async Task Over_the_wire_the_service_holds_float_at_absorption_until_the_taper_then_sets_the_real_float()
    {
        using var pty = new SocatPty();
        var bank = new LeadAcidBank(400, 24, 96);
        var firmware = FirmwareCharger.Axpert48V();
        var emulator = new Pi30Emulator(bank, firmware);
        using var inverterEnd = SerialLine.Open(pty.B, new SerialSettings(2400));
        using var stop = new CancellationTokenSource();
        var serving = Task.Run(() => emulator.ServeAsync(inverterEnd, stop.Token));

        var time = new ManualTimeProvider(new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero));
        await using var driver = new AxpertInverter(new AxpertOptions { Driver = "axpert", Transport = AxpertTransport.Serial, Device = pty.A },
            new DeviceContext("axpert", NullLogger.Instance, time, Path.GetTempPath(), new NoServices()));
        var controller = new AxpertChargerController(new AxpertChargerOptions { Battery = "axpert" });
        var reasons = new List<string>();
        double? written = null;
        for (var tick = 0; tick < 6 * 180 && controller.Stage != ChargeStage.Float; tick++)
        {
            emulator.Advance(TimeSpan.FromSeconds(10), 1500, 200);
            time.Advance(TimeSpan.FromSeconds(10));

            var reading = await driver.ReadAsync(CancellationToken.None);
            var decision = controller.Step(new ChargerInputs(time.GetUtcNow(), reading.Timestamp, reading.Battery!.VoltageV, reading.Battery.CurrentA, null));
            if (decision.Transition)
            {
                reasons.Add(decision.Reason);
            }
            if (written != decision.FloatSetpointV)
            {
                await driver.SetFloatVoltageAsync(decision.FloatSetpointV, CancellationToken.None);
                written = decision.FloatSetpointV;
            }
        }
        await stop.CancelAsync();

        var writes = emulator.Received.Where(c => c.StartsWith("PBFT", StringComparison.Ordinal)).ToList();
        Assert.That(writes, Is.EqualTo(new[] { "PBFT58.4", "PBFT52.8" }));
        Assert.That(reasons, Is.EqualTo(new[] { "absorption_reached", "current_tapered" }));
        Assert.That(firmware.FloatVoltageV, Is.EqualTo(52.8));
        Assert.That(bank.SocPct, Is.GreaterThan(98.7), "absorption finished: the bank takes less than the end current at 58.4 V");
        Assert.That(emulator.Received[0], Is.EqualTo("QPIRI"), "the driver reads the ratings before anything else");
    }
}
