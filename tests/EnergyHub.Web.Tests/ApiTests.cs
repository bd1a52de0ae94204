using EnergyHub.TestSupport;
using System.Net;
using System.Text.Json;
using EnergyHub.Core.Journal;
using Microsoft.Extensions.DependencyInjection;

namespace EnergyHub.Web.Tests;

public sealed class ApiTests
{
    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Test]
    public async Task Health_state_devices_and_services_have_units_and_utc_times()
    {
        await using var site = await TestSite.Start();
        await Eventually.Until(async () => (await Json(await site.Http.GetAsync("/api/state"))).GetProperty("devices").GetProperty("grid").GetProperty("values").GetArrayLength() > 0, "the site shows it");

        var health = await Json(await site.Http.GetAsync("/api/health"));
        var state = await Json(await site.Http.GetAsync("/api/state"));
        var devices = await Json(await site.Http.GetAsync("/api/devices"));

        Assert.That(health.GetProperty("status").GetString(), Is.EqualTo("ok"));
        Assert.That(health.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("id").GetString()), Is.EquivalentTo(new[] { "site", "grid", "battery" }));
        Assert.That(health.GetProperty("devices")[0].TryGetProperty("ageSeconds", out _), Is.True);
        Assert.That(state.GetProperty("time").GetString(), Does.EndWith("+00:00"));
        var grid = state.GetProperty("devices").GetProperty("grid").GetProperty("values").EnumerateArray().First(v => v.GetProperty("series").GetString() == "Meter.PowerW");
        Assert.That(grid.GetProperty("unit").GetString(), Is.EqualTo("W"));
        Assert.That(devices.EnumerateArray().Single(d => d.GetProperty("id").GetString() == "battery").GetProperty("roles")[0].GetString(), Is.EqualTo("IBattery"));
        Assert.That((await Json(await site.Http.GetAsync("/api/services"))).GetArrayLength(), Is.Zero);
    }

    [TestCase("/api/history", 400, "series is required")]
    [TestCase("/api/history?series=nope/Meter.PowerW", 404, "Unknown series")]
    [TestCase("/api/history?series=grid/Meter.PowerW&from=yesterday", 400, "from and to must be ISO 8601")]
    [TestCase("/api/history?series=grid/Meter.PowerW&points=0", 400, "points must be 1 to 10000")]
    [TestCase("/api/events?limit=0", 400, "limit must be 1 to 10000")]
    [TestCase("/api/events?from=yesterday", 400, "from must be an ISO 8601 time")]
    public async Task Bad_queries_get_problem_details_that_say_what_was_wrong(string url, int status, string title)
    {
        await using var site = await TestSite.Start();
        await Eventually.Until(() => Task.FromResult(site.Host.Services.GetRequiredService<SiteJournal>().Series().Count > 0), "the site shows it");

        var response = await site.Http.GetAsync(url);

        Assert.That((int)response.StatusCode, Is.EqualTo(status));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.That(problem.GetProperty("title").GetString(), Does.Contain(title));
        Assert.That(problem.GetProperty("detail").GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task History_returns_at_most_n_points_that_bracket_the_raw_min_and_max()
    {
        await using var site = await TestSite.Start();
        var journal = site.Host.Services.GetRequiredService<SiteJournal>();
        var start = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var values = Enumerable.Range(0, 8640).Select(i => Math.Sin(i / 100.0) * 1000 + (i == 4321 ? 5000 : 0)).ToList(); // one day at 10 s, one spike
        for (var i = 0; i < values.Count; i++)
        {
            journal.Add(new ReadingRecord(start.AddSeconds(10 * i), "test/Meter.PowerW", "test", "W", values[i]));
        }
        await journal.FlushAsync();

        var history = await Json(await site.Http.GetAsync("/api/history?series=test/Meter.PowerW&from=2026-06-01T00:00:00Z&to=2026-06-02T00:00:00Z&points=100"));

        var points = history.GetProperty("points").EnumerateArray().ToList();
        Assert.That(points, Has.Count.LessThanOrEqualTo(100).And.Count.GreaterThan(90));
        Assert.That(points.Max(p => p.GetProperty("max").GetDouble()), Is.EqualTo(values.Max()), "the spike survives downsampling");
        Assert.That(points.Min(p => p.GetProperty("min").GetDouble()), Is.EqualTo(values.Min()));
        Assert.That(points.Sum(p => p.GetProperty("count").GetInt64()), Is.EqualTo(8640));
        Assert.That(history.GetProperty("unit").GetString(), Is.EqualTo("W"));
    }

    [Test]
    public async Task The_series_list_names_each_series_with_its_unit_the_site_s_balance_included()
    {
        await using var site = await TestSite.Start();
        var journal = site.Host.Services.GetRequiredService<SiteJournal>();
        journal.Add(new ReadingRecord(DateTimeOffset.UtcNow, "balance/PvW", "balance", "W", 1200));
        await journal.FlushAsync();

        var series = (await Json(await site.Http.GetAsync("/api/history/series"))).EnumerateArray()
            .Select(e => (e.GetProperty("series").GetString(), e.GetProperty("device").GetString(), e.GetProperty("unit").GetString())).ToList();

        Assert.That(series, Does.Contain(("balance/PvW", "balance", "W")));
    }

    [Test]
    public async Task The_page_s_script_goes_out_gzipped_and_the_stream_never_does()
    {
        await using var site = await TestSite.Start();
        using var script = new HttpRequestMessage(HttpMethod.Get, "/app.js");
        script.Headers.AcceptEncoding.ParseAdd("gzip");
        using var stream = new HttpRequestMessage(HttpMethod.Get, "/api/stream");
        stream.Headers.AcceptEncoding.ParseAdd("gzip");

        using var scriptResponse = await site.Http.SendAsync(script);
        using var streamResponse = await site.Http.SendAsync(stream, HttpCompletionOption.ResponseHeadersRead);

        Assert.That(scriptResponse.Content.Headers.ContentEncoding, Is.EqualTo(new[] { "gzip" }));
        Assert.That(streamResponse.Content.Headers.ContentEncoding, Is.Empty, "a compressed stream would hold events back");
    }

    [Test]
    public async Task The_stream_delivers_readings_within_a_poll_interval_and_resumes_with_last_event_id()
    {
        await using var site = await TestSite.Start();
        using var stream = await site.Http.GetStreamAsync("/api/stream");
        using var reader = new StreamReader(stream);
        var first = await NextEvent(reader, "reading").WaitAsync(TimeSpan.FromSeconds(2));
        Assert.That(first.Data, Does.Contain("\"values\""));

        // Events keep coming while we are away: two more are out before we come back.
        await NextEvent(reader, null).WaitAsync(TimeSpan.FromSeconds(2));
        await NextEvent(reader, null).WaitAsync(TimeSpan.FromSeconds(2));
        using var resumed = new HttpRequestMessage(HttpMethod.Get, "/api/stream");
        resumed.Headers.Add("Last-Event-ID", first.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await site.Http.SendAsync(resumed, HttpCompletionOption.ResponseHeadersRead);
        using var again = new StreamReader(await response.Content.ReadAsStreamAsync());
        var next = await NextEvent(again, null).WaitAsync(TimeSpan.FromSeconds(2));
        Assert.That(next.Id, Is.EqualTo(first.Id + 1), "the event right after the last one seen, not only later live ones");
    }

    // The next event of `type` (any type when null).
    private static async Task<(long Id, string Type, string Data)> NextEvent(StreamReader reader, string? type)
    {
        long id = 0;
        string? kind = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                kind = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && kind is not null && (type is null || kind == type))
            {
                return (id, kind, line[6..]);
            }
        }
        throw new EndOfStreamException();
    }

    [Test]
    public async Task Metrics_are_in_prometheus_text_format()
    {
        await using var site = await TestSite.Start();
        await Eventually.Until(async () => (await site.Http.GetStringAsync("/metrics")).Contains("Meter.PowerW", StringComparison.Ordinal), "the site shows it");
        var text = await site.Http.GetStringAsync("/metrics");

        Assert.That(text, Does.Contain("# TYPE energyhub_reading_watts gauge"));
        Assert.That(text, Does.Match(@"energyhub_reading_watts\{device=""grid"",series=""Meter.PowerW""\} -?\d"));
        Assert.That(text, Does.Match(@"energyhub_reading_percent\{device=""battery"",series=""Battery.SocPct""\} \d"));
        Assert.That(text, Does.Contain("energyhub_device_online{device=\"battery\",health=\"Online\"} 1"));
        Assert.That(text, Does.Match(@"\nenergyhub_journal_queue_depth \d+\n"));

        // Histograms observed as reads and ticks happen: cumulative buckets up to +Inf, whose count is _count.
        Assert.That(text, Does.Contain("# TYPE energyhub_device_read_duration_seconds histogram"));
        var inf = System.Text.RegularExpressions.Regex.Match(text, @"energyhub_device_read_duration_seconds_bucket\{device=""grid"",outcome=""ok"",le=""\+Inf""\} (\d+)");
        var count = System.Text.RegularExpressions.Regex.Match(text, @"energyhub_device_read_duration_seconds_count\{device=""grid"",outcome=""ok""\} (\d+)");
        Assert.That(inf.Success && count.Success, text);
        Assert.That(int.Parse(inf.Groups[1].Value), Is.GreaterThan(0).And.EqualTo(int.Parse(count.Groups[1].Value)));
        Assert.That(text, Does.Contain("# TYPE energyhub_service_tick_duration_seconds histogram"));
    }
}

/// <summary>/api/surplus: the SurplusDistributor's consumers, and its owner's switches for them.</summary>
public sealed class SurplusApiTests
{
    private const string Distributor = """
        [Services]
        SurplusDistributor = true
        [SurplusDistributor]
        GridMeter = grid
        Battery = battery
        Interval = 200ms
        CycleInterval = 5s
        [SurplusDistributor:heater]
        Priority = 20
        MinOnTime = 0s
        MinOffTime = 0s
        [Device:heater]
        Driver = sim-relay
        Site = site
        PollInterval = 200ms
        """;

    // The heater's entry in /api/surplus once it satisfies condition.
    private static Task<JsonElement> Until(TestSite site, Func<JsonElement, bool> condition) =>
        site.UntilJson("/api/surplus", surplus => surplus.GetProperty("consumers").EnumerateArray().Where(c => c.GetProperty("key").GetString() == "heater")
            .Where(condition).Cast<JsonElement?>().FirstOrDefault());

    [Test]
    public async Task The_consumers_show_with_their_allowance_and_why_and_the_owner_can_switch_one_to_manual_and_move_its_priority()
    {
        await using var site = await TestSite.Start(Distributor);
        var first = await Until(site, h => h.GetProperty("why").GetString()!.Length > 0);
        Assert.That((first.GetProperty("kind").GetString(), first.GetProperty("priority").GetDouble(), first.GetProperty("requestW").GetDouble()),
            Is.EqualTo(("allowance", 20.0, 2000.0)), "a sim-relay takes an allowance; its request comes from its profile");

        var manual = await site.Http.PutAsync("/api/surplus/consumers/heater/automatic", new StringContent("false"));
        var priority = await site.Http.PutAsync("/api/surplus/consumers/heater/priority", new StringContent("7"));
        Assert.That((manual.StatusCode, priority.StatusCode), Is.EqualTo((HttpStatusCode.NoContent, HttpStatusCode.NoContent)));
        var after = await Until(site, h => !h.GetProperty("automatic").GetBoolean());
        Assert.That((after.GetProperty("allowanceW").GetDouble(), after.GetProperty("why").GetString(), after.GetProperty("priority").GetDouble()),
            Is.EqualTo((0.0, "Manual: its owner runs it", 7.0)));

        var bad = await site.Http.PutAsync("/api/surplus/consumers/heater/priority", new StringContent("\"first\""));
        var maybe = await site.Http.PutAsync("/api/surplus/consumers/heater/automatic", new StringContent("\"maybe\""));
        var nobody = await site.Http.PutAsync("/api/surplus/consumers/pump/automatic", new StringContent("true"));
        Assert.That((bad.StatusCode, maybe.StatusCode, nobody.StatusCode), Is.EqualTo((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest)));
        Assert.That(await bad.Content.ReadAsStringAsync(), Does.Contain("'first' is not a number from 0 to 1000"));
        Assert.That(await nobody.Content.ReadAsStringAsync(), Does.Contain("SurplusDistributor has no setting pump.Mode"));

        // Each change is journaled with where it came from, beside the service's decisions.
        await site.Http.PostAsync("/api/journal/flush", null);
        var changes = JsonDocument.Parse(await site.Http.GetStringAsync("/api/events?service=SurplusDistributor&limit=10000")).RootElement.EnumerateArray()
            .Where(e => e.GetProperty("decision").GetString() == "setting_changed").Select(e => e.GetProperty("details")).ToList();
        Assert.That(changes.Select(c => (c.GetProperty("setting").GetString(), c.GetProperty("value").GetString(), c.GetProperty("was").GetString())),
            Is.EquivalentTo(new[] { ("heater.Mode", "Manual", "Automatic"), ("heater.Priority", "7", "20") }));
        Assert.That(changes.Select(c => c.GetProperty("source").GetString()), Has.All.StartWith("the web API (127.0.0.1"));
    }

    [Test]
    public async Task Without_the_service_the_status_says_how_to_switch_it_on()
    {
        await using var site = await TestSite.Start();
        var response = await site.Http.GetAsync("/api/surplus");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("no service SurplusDistributor is running (switch it on in [Services])"));
    }
}

/// <summary>/api/ev: the EvCharging service's chargers, and each one's mode, phase mode and priority.</summary>
public sealed class EvApiTests
{
    private const string Charging = """
        [Services]
        EvCharging = true
        [EvCharging]
        Charger = ev
        PhaseSwitcher = ev
        GridMeter = grid
        Battery = battery
        Mode = PvOnly
        Interval = 200ms
        CycleInterval = 1s
        [EvCharging:garage]
        Charger = ev2
        PhaseSwitcher =
        Mode = Off
        [Device:ev]
        Driver = sim-wallbox
        Site = site
        PollInterval = 200ms
        [Device:site2]
        Driver = sim-site
        [Device:ev2]
        Driver = sim-wallbox
        Site = site2
        PollInterval = 200ms
        """;

    private static Task<JsonElement> Until(TestSite site, Func<JsonElement, bool> condition) =>
        site.UntilJson("/api/ev", ev => ev.GetProperty("chargers").GetArrayLength() == 2 && condition(ev) ? ev : null);

    private static JsonElement Charger(JsonElement ev, string id) =>
        ev.GetProperty("chargers").EnumerateArray().Single(c => c.GetProperty("charger").GetString() == id);

    [Test]
    public async Task Each_charger_shows_its_mode_and_why_and_the_owner_changes_one_charger_s_mode_with_a_json_string()
    {
        await using var site = await TestSite.Start(Charging);
        var first = await Until(site, ev => Charger(ev, "ev").GetProperty("why").GetString()!.Length > 0);
        Assert.That((Charger(first, "ev").GetProperty("desiredMode").GetString(), Charger(first, "ev2").GetProperty("key").GetString()), Is.EqualTo(("PvOnly", "garage")));

        var set = await site.Http.PutAsync("/api/ev/ev2/mode", new StringContent("\"PvAll\""));
        Assert.That(set.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var after = await Until(site, ev => Charger(ev, "ev2").GetProperty("desiredMode").GetString() == "PvAll");
        Assert.That(Charger(after, "ev").GetProperty("desiredMode").GetString(), Is.EqualTo("PvOnly"), "the other charger keeps its mode");

        var max = await site.Http.PutAsync("/api/ev/ev2/mode", new StringContent("\"Max\""));
        Assert.That(max.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var atMax = await Until(site, ev => Charger(ev, "ev2").GetProperty("mode").GetString() == "Max");
        Assert.That(Charger(atMax, "ev2").GetProperty("desiredMode").GetString(), Is.EqualTo("Max"), "Max applied and the charger left alone is still the owner's Max");

        var unquoted = await site.Http.PutAsync("/api/ev/ev2/mode", new StringContent("PvOnly"));
        Assert.That(unquoted.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "the docs ask for a JSON string");
        Assert.That(await unquoted.Content.ReadAsStringAsync(), Does.Contain("send one JSON value: a string in quotes"));
        var bad = await site.Http.PutAsync("/api/ev/ev/phase-mode", new StringContent("\"TwoPhase\""));
        var other = await site.Http.PutAsync("/api/ev/carport/mode", new StringContent("\"Max\""));
        Assert.That((bad.StatusCode, other.StatusCode), Is.EqualTo((HttpStatusCode.BadRequest, HttpStatusCode.NotFound)));
        Assert.That(await bad.Content.ReadAsStringAsync(), Does.Contain("is not one of Auto, OnePhase, ThreePhase"));
        Assert.That(await other.Content.ReadAsStringAsync(), Does.Contain("EvCharging runs 'ev', 'ev2', not 'carport'"));
    }

    [Test]
    public async Task A_charge_plan_is_set_shown_and_ended_per_charger_and_a_bad_one_is_refused_with_what_to_send()
    {
        await using var site = await TestSite.Start(Charging);
        await Until(site, ev => Charger(ev, "ev").GetProperty("why").GetString()!.Length > 0);

        var set = await site.Http.PutAsync("/api/ev/ev2/plan", new StringContent("{\"energyKwh\": 20, \"by\": \"07:00\"}"));
        Assert.That(set.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var planned = await Until(site, ev => HasPlan(Charger(ev, "ev2")));
        var plan = Charger(planned, "ev2").GetProperty("plan");
        Assert.That(plan.GetProperty("energyKwh").GetDouble(), Is.EqualTo(20));
        Assert.That(plan.GetProperty("why").GetString(), Does.Contain("kWh missing by").And.Contain("07:00"));
        Assert.That(HasPlan(Charger(planned, "ev")), Is.False, "the other charger has no plan");

        var bad = await site.Http.PutAsync("/api/ev/ev2/plan", new StringContent("{\"energyKwh\": 0, \"by\": \"25:00\"}"));
        var unknown = await site.Http.PutAsync("/api/ev/carport/plan", new StringContent("{\"energyKwh\": 20, \"by\": \"07:00\"}"));
        Assert.That((bad.StatusCode, unknown.StatusCode), Is.EqualTo((HttpStatusCode.BadRequest, HttpStatusCode.NotFound)));
        Assert.That(await bad.Content.ReadAsStringAsync(), Does.Contain("energy above 0, a time of day HH:mm"));

        var ended = await site.Http.DeleteAsync("/api/ev/ev2/plan");
        Assert.That(ended.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await Until(site, ev => !HasPlan(Charger(ev, "ev2")));
    }

    private static bool HasPlan(JsonElement charger) => charger.TryGetProperty("plan", out var plan) && plan.ValueKind == JsonValueKind.Object;

    [Test]
    public async Task Metrics_carry_each_charger_s_mode_and_charged_energy_by_source()
    {
        await using var site = await TestSite.Start(Charging);
        await Until(site, ev => Charger(ev, "ev").GetProperty("why").GetString()!.Length > 0);
        var text = await site.Http.GetStringAsync("/metrics");
        Assert.That(text, Does.Contain("energyhub_ev_mode{charger=\"ev\",mode=\"PvOnly\"} 1"));
        Assert.That(text, Does.Contain("energyhub_ev_mode{charger=\"ev2\",mode=\"Off\"} 1"));
        Assert.That(text, Does.Contain("energyhub_ev_charged_energy_watt_hours_total{charger=\"ev\",source=\"pv\"}"));
        Assert.That(text, Does.Contain("# TYPE energyhub_ev_charged_energy_watt_hours_total counter"));
    }
}

public sealed class GraphTests
{
    [Test]
    public async Task A_graph_of_two_series_is_an_svg_with_two_axes_averaged_to_at_most_2048_points()
    {
        await using var site = await TestSite.Start();
        var journal = site.Host.Services.GetRequiredService<SiteJournal>();
        var start = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 8640; i++)
        {
            journal.Add(new ReadingRecord(start.AddSeconds(10 * i), "axpert/Battery.VoltageV", "axpert", "V", 50 + Math.Sin(i / 500.0)));
            journal.Add(new ReadingRecord(start.AddSeconds(10 * i), "axpert/Inverter.PvPowerW", "axpert", "W", i % 1000));
        }
        await journal.FlushAsync();

        var response = await site.Http.GetAsync("/graph?from=20260601&to=20260602&col_1=axpert/Battery.VoltageV&col_2=axpert/Inverter.PvPowerW");
        var bad = await site.Http.GetAsync("/graph?from=2026-06-01&to=20260602&col_1=axpert/Battery.VoltageV");

        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/svg+xml"));
        var svg = await response.Content.ReadAsStringAsync();
        Assert.That(svg, Does.StartWith("<svg").And.Contain("axpert/Battery.VoltageV (V)").And.Contain("axpert/Inverter.PvPowerW (W)"));
        var paths = System.Text.RegularExpressions.Regex.Matches(svg, "<path d=\"([^\"]+)\"");
        Assert.That(paths, Has.Count.EqualTo(2));
        Assert.That(paths[0].Groups[1].Value.Split(' ').Length, Is.LessThanOrEqualTo(2048), "averaged down from 8640 samples");
        Assert.That((int)bad.StatusCode, Is.EqualTo(400));
    }
}
