using EnergyHub.Devices;
using EnergyHub.TestSupport;
using EnergyHub.Protocols.Pi30;
using EnergyHub.Protocols.Serial;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Plugins.Axpert.Tests;

public sealed class AxpertInverterTests
{
    private static byte[] Fixture(string name) =>
        Convert.FromHexString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name)).Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Trim());


    [Test]
    public async Task The_driver_reads_ratings_then_status_and_sets_the_charge_current_from_the_allowed_list()
    {
        using var wire = new SocatPty();
        using var inverter = SerialLine.Open(wire.B, new SerialSettings(2400));
        var replies = new Dictionary<string, byte[]>
        {
            ["QPIRI"] = Fixture("qpiri_mppsolar.hex"),
            ["QPIGS"] = Fixture("qpigs_frame.hex"),
            ["QMCHGCR"] = Fixture("qmchgcr_mppsolar.hex"),
            ["MCHGC030"] = Fixture("ack.hex"),
        };
        var asked = new List<string>();
        var device = Task.Run(async () =>
        {
            for (var i = 0; i < 4; i++)
            {
                var request = await RepliesAndLinkTests.Request(inverter);
                var command = System.Text.Encoding.ASCII.GetString(request, 0, request.Length - 3);
                asked.Add(command);
                await inverter.WriteAsync(replies[command]);
            }
        });
        await using var driver = new AxpertInverter(new AxpertOptions { Driver = "axpert", Transport = AxpertTransport.Serial, Device = wire.A },
            new DeviceContext("axpert", NullLogger.Instance, TimeProvider.System, Path.GetTempPath(), new NoServices()));

        var reading = await driver.ReadAsync(CancellationToken.None);
        await driver.SetMaxChargeCurrentAsync(30, CancellationToken.None);
        await device;

        Assert.That(asked, Is.EqualTo(new[] { "QPIRI", "QPIGS", "QMCHGCR", "MCHGC030" }));
        Assert.That(driver.RatedPowerW, Is.EqualTo(4000));
        Assert.That(driver.Ratings!.FloatV, Is.EqualTo(54.0));
        Assert.That(reading.Battery!.PowerW, Is.EqualTo(580.8));
        Assert.That(driver, Is.Not.InstanceOf<IActivePowerLimiter>(), "an Axpert cannot limit its output, so it does not claim to");
    }
}
