using EnergyHub.Time;
using EnergyHub.TestSupport;
using System.Globalization;
using EnergyHub.Plugins.Amber;
using EnergyHub.Plugins.Pse;
using EnergyHub.Plugins.Simulator.Emulators;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Plugins.Simulator.Tests;

/// <summary>The real price drivers against the emulators, over HTTP on 127.0.0.1.</summary>
public sealed class PriceEmulatorTests
{

    private static DeviceContext Context(string id, TimeProvider time) =>
        new(id, NullLogger.Instance, time, Directory.CreateTempSubdirectory("energyhub-e2e-").FullName, new NoServices());

    private static readonly string DeData = Path.Combine(AppContext.BaseDirectory, "Data", "de-dayahead-price-hourly-2025.csv");

    [Test]
    public async Task The_amber_driver_reads_the_emulator_with_feed_in_signed_as_what_the_owner_is_paid()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 1, 10, 3, 2, 30, TimeSpan.Zero));
        await using var emulator = new AmberEmulator("psk_e2e", "scenario1", time);
        emulator.Start(0);
        using var driver = new AmberPriceSource(new AmberOptions { Driver = "amber", ApiKey = "psk_e2e", BaseUrl = new Uri(emulator.BaseAddress, "v1") },
            Context("prices", time));

        var series = (await driver.ReadAsync(CancellationToken.None)).Prices!;

        var expectedFeedIn = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Data", "amber-forecast-snapshots-2025.csv"))
            .Select(l => l.Split(',')).Where(f => f[0] == "scenario1" && f[2] == "feed_in")
            .Select(f => double.Parse(f[7], CultureInfo.InvariantCulture)).Take(series.Intervals.Count).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(series.Intervals[0].Start, Is.EqualTo(new DateTimeOffset(2026, 1, 10, 3, 0, 0, TimeSpan.Zero)), "the snapshot starts at the current 5-minute interval");
            Assert.That(series.Intervals.Select(i => i.FeedInPerKwh), Is.EqualTo(expectedFeedIn).Within(1e-9), "paid feed-in in, paid feed-in out, through Amber's opposite sign");
            Assert.That(series.Intervals.Select(i => i.Duration.TotalMinutes).Distinct(), Is.EquivalentTo(new[] { 5.0, 30.0 }));
            Assert.That(series.Intervals.Zip(series.Intervals.Skip(1)).All(p => p.First.End <= p.Second.Start), Is.True);
        });
    }

    [Test]
    public async Task The_amber_emulator_refuses_a_wrong_key_and_rate_limits_like_amber()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 1, 10, 3, 0, 0, TimeSpan.Zero));
        await using var emulator = new AmberEmulator("psk_right", "scenario2", time);
        emulator.Start(0);
        using (var wrong = new AmberPriceSource(new AmberOptions { Driver = "amber", ApiKey = "psk_wrong", BaseUrl = new Uri(emulator.BaseAddress, "v1") }, Context("p", time)))
        {
            Assert.That(async () => await wrong.ReadAsync(CancellationToken.None), Throws.InstanceOf<IOException>().With.Message.Contains("rejected the API key"));
        }

        using var http = new HttpClient { BaseAddress = emulator.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "psk_right");
        var statuses = new List<int>();
        for (var i = 0; i < 52; i++)
        {
            statuses.Add((int)(await http.GetAsync("v1/sites")).StatusCode);
        }
        Assert.That(statuses.Count(s => s == 200), Is.EqualTo(50));
        Assert.That(statuses[^1], Is.EqualTo(429));
    }

    [Test]
    public async Task The_pse_driver_reads_today_from_the_emulator_and_tomorrow_after_publication()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 6, 15, 10, 0, 0, TimeSpan.Zero)); // 12:00 in Warsaw
        await using var emulator = new PseEmulator(DeData, 4.25, time);
        emulator.Start(0);
        var options = new PseOptions { Driver = "pse", BaseUrl = new Uri(emulator.BaseAddress, "api"), FetchInterval = TimeSpan.FromMinutes(30) };
        using var driver = new PsePriceSource(options, Context("pse", time));

        var morning = (await driver.ReadAsync(CancellationToken.None)).Prices!;
        time.Advance(TimeSpan.FromHours(3)); // 15:00 in Warsaw: tomorrow is published
        var afternoon = (await driver.ReadAsync(CancellationToken.None)).Prices!;

        var euroAtNoon = File.ReadLines(DeData).Single(l => l.StartsWith("2025-06-15T10:00:00", StringComparison.Ordinal)).Split(',')[1];
        Assert.Multiple(() =>
        {
            Assert.That(morning.Intervals, Has.Count.EqualTo(96));
            Assert.That(afternoon.Intervals, Has.Count.EqualTo(192));
            Assert.That(afternoon.Intervals.Count(i => i.IsForecast), Is.EqualTo(96));
            Assert.That(morning.At(new DateTimeOffset(2026, 6, 15, 10, 5, 0, TimeSpan.Zero))!.SpotPerKwh,
                Is.EqualTo(Math.Round(double.Parse(euroAtNoon, CultureInfo.InvariantCulture) * 4.25, 2) / 1000).Within(1e-9));
        });
    }
}
