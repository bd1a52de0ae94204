using EnergyHub.Plugins.Simulator.OffGrid;
using EnergyHub.Plugins.Simulator.Site;
using EnergyHub.Protocols.Pi30;
using EnergyHub.Protocols.Serial;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Plugins.Simulator.Tests;

public sealed class AxpertEmulatorHostTests
{
    private static SiteSample Sample(double pvW, double loadW) => new(DateTimeOffset.UnixEpoch, pvW, pvW, loadW, 0, 0, 0, 0, 0, 0, 100, 0, 0);

    [Test]
    public async Task An_axpert_link_on_the_pty_sees_the_bank_charge_from_pv_and_discharge_into_the_load()
    {
        var link = Path.Combine(Directory.CreateTempSubdirectory("energyhub-axpert-emu-").FullName, "axpert");
        await using var host = new AxpertEmulatorHost(link, 400, 50);
        await using var axpert = new AxpertLink(() => SerialLine.Open(link, new SerialSettings(2400)), TimeSpan.FromSeconds(2), NullLogger.Instance);
        var t0 = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

        host.Advance(t0, Sample(3000, 400), 1, 1);
        host.Advance(t0.AddSeconds(10), Sample(3000, 400), 1, 1);
        var charging = Qpigs.Parse(await axpert.QueryAsync("QPIGS", CancellationToken.None));
        host.Advance(t0.AddSeconds(20), Sample(0, 1200), 1, 1);
        var discharging = Qpigs.Parse(await axpert.QueryAsync("QPIGS", CancellationToken.None));
        var ratings = Pi30Replies.ParseRatings(await axpert.QueryAsync("QPIRI", CancellationToken.None));
        await axpert.SetAsync("PBFT58.4", CancellationToken.None);

        Assert.That(charging.BatteryChargingCurrentA, Is.InRange(45, 55), "2600 W surplus at about 53 V");
        Assert.That(charging.ChargingOn, Is.True);
        Assert.That(discharging.BatteryDischargeCurrentA, Is.InRange(20, 26), "1200 W from the bank");
        Assert.That((ratings.BatteryRatingV, ratings.BulkV, ratings.FloatV), Is.EqualTo((48.0, 58.4, 52.8)));
        Assert.That(Pi30Replies.ParseRatings(await axpert.QueryAsync("QPIRI", CancellationToken.None)).FloatV, Is.EqualTo(58.4), "PBFT reached the firmware charger");
        Assert.That(() => axpert.SetAsync("PBFT70.0", CancellationToken.None), Throws.InstanceOf<IOException>().With.Message.Contains("refused"));
    }
}
