using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace EnergyHub.Tests;

/// <summary>Oversized request bodies against the real daemon: refused before they are read, so they cost no memory.</summary>
public sealed class BodyCapMemoryTests
{
    [Test]
    public async Task Ten_bodies_of_10_MB_leave_the_daemon_under_250_MB_of_memory()
    {
        var data = Directory.CreateTempSubdirectory("energyhub-bodies-").FullName;
        using var cli = EnergyHubCli.Start(["run", "--config", "config/demo.ini"], environment: new Dictionary<string, string>
        {
            ["ENERGYHUB_Common__DataDir"] = data, ["ENERGYHUB_Logging__Dir"] = "", ["ENERGYHUB_Web__Port"] = "0",
        });
        await cli.WaitForOutput("Changes need the API key", TimeSpan.FromSeconds(30));
        var address = new Uri(Regex.Match(cli.Out, @"The live page and API are on (http://\S+)").Groups[1].Value);
        var key = (await File.ReadAllTextAsync(Path.Combine(data, "api-key"))).Trim();
        var body = new byte[10 * 1024 * 1024];

        for (var i = 0; i < 10; i++)
        {
            // With the key, so only the size can refuse it; the whole body is sent, as a client that ignores the early answer would.
            using var client = new TcpClient();
            await client.ConnectAsync(address.Host, address.Port);
            var stream = client.GetStream();
            var head = $"PUT /api/services/ExportGuard/settings/PauseHours HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: {key}\r\nContent-Length: {body.Length}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            try
            {
                await stream.WriteAsync(body);
            }
            catch (IOException)
            {
                // The server answered and closed while the rest was still on its way.
            }
            using var reader = new StreamReader(stream);
            Assert.That(await reader.ReadLineAsync(), Does.StartWith("HTTP/1.1 413"), $"body {i + 1}");
        }
        var rssKb = long.Parse(Regex.Match(await File.ReadAllTextAsync($"/proc/{cli.Pid}/status"), @"VmRSS:\s+(\d+) kB").Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture);

        TestContext.Progress.WriteLine($"resident after 10 refused 10 MB bodies: {rssKb / 1024} MB");
        Assert.That(rssKb / 1024, Is.LessThan(250), "MB resident after 100 MB of refused bodies (it grew to 360 MB when they were read)");
        cli.Interrupt();
        Assert.That(await cli.WaitForExit(TimeSpan.FromSeconds(30)), Is.Zero, cli.Err);
    }
}
