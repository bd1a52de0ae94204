using System.Net;
using System.Net.Sockets;

namespace EnergyHub.Tests;

/// <summary>Defect: <c>simulate</c> on a real installation's config connected to the inverter and curtailed it.</summary>
public sealed class SimulateRefusesHardwareTests
{
    [Test]
    public async Task Simulate_refuses_real_devices_naming_each_before_opening_anything()
    {
        // Every real device points at one listener on loopback: a connection to it would be a connection to hardware.
        using var hardware = new TcpListener(IPAddress.Loopback, 0);
        hardware.Start();
        var port = ((IPEndPoint)hardware.LocalEndpoint).Port;
        var data = Directory.CreateTempSubdirectory("energyhub-simreal-").FullName;
        using var cli = EnergyHubCli.Start(["simulate", "--config", Path.Combine(EnergyHubCli.RepoRoot, "config", "examples", "goodwe-amber-alphaess.ini")],
            environment: new Dictionary<string, string>
            {
                ["ENERGYHUB_Common__DataDir"] = data,
                ["ENERGYHUB_Logging__Dir"] = "",
                ["ENERGYHUB_Device__roof__Host"] = "127.0.0.1",
                ["ENERGYHUB_Device__roof__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["ENERGYHUB_Device__battery__BaseUrl"] = $"http://127.0.0.1:{port}/api/",
                ["ENERGYHUB_Device__battery__AppSecret"] = "0123456789abcdef",
                ["ENERGYHUB_Device__prices__BaseUrl"] = $"http://127.0.0.1:{port}/v1/",
                ["ENERGYHUB_Device__prices__ApiKey"] = "psk_0123456789",
            });

        var code = await cli.WaitForExit(TimeSpan.FromMinutes(1));

        Assert.That(code, Is.EqualTo(2), cli.Err);
        Assert.That(cli.Err, Does.Contain("[Device:roof] Driver: driver 'goodwe' talks to real hardware")
            .And.Contain("[Device:battery] Driver: driver 'alphaess'")
            .And.Contain("[Device:prices] Driver: driver 'amber'"));
        Assert.That(hardware.Pending(), Is.False, "nothing connected to the 'hardware'");
        Assert.That(Directory.EnumerateFileSystemEntries(data), Is.Empty, "nothing was written either");
    }
}
