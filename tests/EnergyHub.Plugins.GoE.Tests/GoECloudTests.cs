using System.Net;
using System.Text.RegularExpressions;
using EnergyHub.Readings;
using EnergyHub.TestSupport;
using EnergyHub.Time;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Plugins.GoE.Tests;

/// <summary>The goe driver through go-e's cloud (Serial + ApiToken), the cloud answering as its documentation says, from the recorded v2 status.</summary>
public sealed class GoECloudTests
{
    private static readonly string Charging = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "status-v2-charging.json"));

    private static GoEWallbox Wallbox(CloudFake cloud) => new(new GoEOptions { Driver = "goe", Serial = "000123", ApiToken = "cloudkey" },
        new DeviceContext("ev", NullLogger.Instance, new ManualTimeProvider(DateTimeOffset.UnixEpoch), Path.GetTempPath(), new NoServices()), cloud);

    [Test]
    public async Task It_reads_v2_from_the_serials_cloud_address_with_the_bearer_token_and_a_queued_write_is_checked_by_the_next_read()
    {
        var cloud = new CloudFake { Status = Charging };
        var wallbox = Wallbox(cloud);

        var before = (await wallbox.ReadAsync(CancellationToken.None)).Charger!;
        await wallbox.SetChargeCurrentAsync(10, CancellationToken.None);
        cloud.Status = Regex.Replace(Charging, "\"amp\": 6", "\"amp\": 10");
        var after = (await wallbox.ReadAsync(CancellationToken.None)).Charger!;

        Assert.Multiple(() =>
        {
            Assert.That(cloud.Requests.Select(r => r.Host).Distinct(), Is.EqualTo(new[] { "000123.api.v3.go-e.io" }));
            Assert.That(cloud.Requests.Select(r => r.Authorization).Distinct(), Is.EqualTo(new[] { "Bearer cloudkey" }));
            Assert.That(cloud.Requests.Select(r => r.Path), Is.EqualTo(new[] { "/api/status", "/api/set", "/api/status" }), "no API detection: the cloud is v2");
            Assert.That(cloud.Requests[1].Query, Does.Contain("amp=10"));
            Assert.That((before.Car, after.CurrentA), Is.EqualTo((EvCarState.Charging, 10.0)));
        });
    }

    [TestCase(HttpStatusCode.Forbidden, "cloud API is off")]
    [TestCase(HttpStatusCode.NotFound, "no data from the charger in the last 30 s")]
    public void A_cloud_refusal_says_what_it_means(HttpStatusCode code, string hint)
    {
        var wallbox = Wallbox(new CloudFake { Status = Charging, StatusCode = code });
        Assert.That(async () => await wallbox.ReadAsync(CancellationToken.None), Throws.InstanceOf<IOException>().With.Message.Contains(hint));
    }

    [Test]
    public async Task A_write_the_cloud_rejects_entirely_is_an_error()
    {
        var cloud = new CloudFake { Status = Charging };
        var wallbox = Wallbox(cloud);
        await wallbox.ReadAsync(CancellationToken.None);
        cloud.SetStatusCode = HttpStatusCode.UnprocessableEntity;
        Assert.That(async () => await wallbox.SetChargeCurrentAsync(10, CancellationToken.None), Throws.InstanceOf<IOException>());
    }

    private sealed class CloudFake : HttpMessageHandler
    {
        public string Status { get; set; } = "";

        public HttpStatusCode StatusCode { get; init; } = HttpStatusCode.OK;

        public HttpStatusCode SetStatusCode { get; set; } = HttpStatusCode.Accepted;

        public List<(string Host, string Path, string Query, string? Authorization)> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            Requests.Add((uri.Host, uri.AbsolutePath, Uri.UnescapeDataString(uri.Query), request.Headers.Authorization?.ToString()));
            var (code, body) = uri.AbsolutePath switch
            {
                "/api/status" => (StatusCode, StatusCode == HttpStatusCode.OK ? Status : ""),
                "/api/set" => (SetStatusCode, ""),
                _ => (HttpStatusCode.NotFound, ""),
            };
            return Task.FromResult(new HttpResponseMessage(code) { Content = new StringContent(body) });
        }
    }
}
