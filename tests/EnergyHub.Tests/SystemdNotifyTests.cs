using System.Net.Sockets;
using System.Text;

namespace EnergyHub.Tests;

/// <summary>Under systemd (Type=notify, WatchdogSec=): READY=1 once started, WATCHDOG=1 while the loops tick, STOPPING=1 on the way out.</summary>
public sealed class SystemdNotifyTests
{
    [Test]
    public async Task Run_tells_systemd_it_is_ready_pets_the_watchdog_and_says_when_it_stops()
    {
        var dir = Directory.CreateTempSubdirectory("energyhub-notify-").FullName;
        var path = Path.Combine(dir, "notify.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        using var cli = EnergyHubCli.Start(["run", "--config", Path.Combine(EnergyHubCli.RepoRoot, "config", "demo.ini")], environment: new Dictionary<string, string>
        {
            ["ENERGYHUB_Common__DataDir"] = Path.Combine(dir, "data"),
            ["ENERGYHUB_Web__Port"] = "0",
            ["NOTIFY_SOCKET"] = path,
            ["WATCHDOG_USEC"] = "1000000",
        });

        var messages = new List<string>();
        async Task<string> Next()
        {
            var buffer = new byte[256];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            var message = Encoding.UTF8.GetString(buffer, 0, n);
            messages.Add(message);
            return message;
        }
        while (await Next() != "READY=1")
        {
        }
        Assert.That(cli.Out, Does.Contain("Started 5 service(s)"), "READY=1 comes after the services started");
        while (messages.Count(m => m == "WATCHDOG=1") < 3)
        {
            await Next();
        }
        cli.Interrupt();
        while (await Next() != "STOPPING=1")
        {
        }

        Assert.That(await cli.WaitForExit(TimeSpan.FromSeconds(30)), Is.Zero, cli.Err);
        Assert.That(messages[0], Is.EqualTo("READY=1"));
    }
}
