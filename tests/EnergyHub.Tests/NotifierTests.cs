using EnergyHub.TestSupport;

namespace EnergyHub.Tests;

/// <summary>
/// The notifier on the demo site against an independent HTTP receiver (a few lines of Python's http.server, as a webhook
/// or ntfy would take it): the car's charge is told as a POST with ntfy's headers.
/// </summary>
public sealed class NotifierTests
{
    private const string Receiver = """
        import http.server, sys
        class Hook(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                print(f"POST {self.path} [{self.headers.get('Title')}] [{self.headers.get('Priority')}] {body}", flush=True)
                self.send_response(200); self.end_headers()
            def log_message(self, *args): pass
        server = http.server.HTTPServer(("127.0.0.1", 0), Hook)
        print(f"PORT {server.server_port}", flush=True)
        server.serve_forever()
        """;

    [Test]
    public async Task The_demo_s_car_starting_to_charge_in_max_is_posted_to_the_owner_s_webhook()
    {
        using var receiver = Peer.Start("/usr/bin/python3", "-c", Receiver);
        await receiver.WaitFor("PORT ");
        var port = receiver.Output.Split("PORT ")[1].Split('\n')[0].Trim();
        using var cli = EnergyHubCli.Start(["run", "--config", "config/demo.ini"], environment: new Dictionary<string, string>
        {
            ["ENERGYHUB_Common__DataDir"] = Directory.CreateTempSubdirectory("energyhub-notifier-").FullName,
            ["ENERGYHUB_Web__Port"] = "0",
            ["ENERGYHUB_EvCharging__Mode"] = "Max", // the car charges at once, whatever the sun
            ["ENERGYHUB_Services__Notifier"] = "true",
            ["ENERGYHUB_Notifier__Url"] = $"http://127.0.0.1:{port}/house",
        });
        try
        {
            await receiver.WaitFor("POST /house [ev: charging started] [default] ev charges the car at ", TimeSpan.FromSeconds(90));
        }
        catch (AssertionException)
        {
            Assert.Fail($"No notification arrived.\nThe receiver said:\n{receiver.Output}\nEnergyHub said:\n{cli.Out}\n{cli.Err}");
        }
        cli.Interrupt();
        Assert.That(await cli.WaitForExit(TimeSpan.FromSeconds(30)), Is.Zero, cli.Err);
        Assert.That(cli.Out + cli.Err, Does.Not.Contain("[Notifier]"), "no POST failed");
    }
}
