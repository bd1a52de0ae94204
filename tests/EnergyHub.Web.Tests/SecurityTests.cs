using System.Net;
using System.Text.Json;
using CsCheck;
using EnergyHub.Core.Journal;
using EnergyHub.Web.Security;
using Microsoft.Extensions.DependencyInjection;

namespace EnergyHub.Web.Tests;

/// <summary>The web server as an attacker on this machine or a hostile page in its browser would try it.</summary>
public sealed class SecurityTests
{
    private static HttpRequestMessage Request(HttpMethod method, string url, string? key = null, string? host = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (key is not null)
        {
            request.Headers.Add(ApiKeyCheck.Header, key);
        }
        if (host is not null)
        {
            request.Headers.Host = host;
        }
        return request;
    }

    [Test]
    public async Task A_foreign_host_name_is_refused_so_a_rebound_page_cannot_read_the_api()
    {
        await using var site = await TestSite.Start();
        var port = site.Http.BaseAddress!.Port;

        var foreign = await site.Http.SendAsync(Request(HttpMethod.Get, "/api/state", host: "attacker.example"));
        var foreignWithPort = await site.Http.SendAsync(Request(HttpMethod.Get, "/api/state", host: $"attacker.example:{port}"));
        var local = await site.Http.SendAsync(Request(HttpMethod.Get, "/api/state", host: $"localhost:{port}"));
        var machine = await site.Http.SendAsync(Request(HttpMethod.Get, "/api/state", host: Dns.GetHostName()));

        Assert.That(foreign.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(foreignWithPort.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await foreign.Content.ReadAsStringAsync(), Does.Not.Contain("devices"));
        Assert.That(local.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(machine.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Allowed_hosts_from_the_config_are_accepted_and_a_star_accepts_any()
    {
        await using var named = await TestSite.Start("AllowedHosts = energy.home.lan");
        await using var any = await TestSite.Start("AllowedHosts = *");

        Assert.That((await named.Http.SendAsync(Request(HttpMethod.Get, "/api/health", host: "energy.home.lan"))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await named.Http.SendAsync(Request(HttpMethod.Get, "/api/health", host: "other.home.lan"))).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await any.Http.SendAsync(Request(HttpMethod.Get, "/api/health", host: "other.home.lan"))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("/")]
    [TestCase("/app.js")]
    [TestCase("/api/state")]
    [TestCase("/api/nope")]
    public async Task Every_response_forbids_inline_script_sniffing_and_framing(string url)
    {
        await using var site = await TestSite.Start();
        var response = await site.Http.GetAsync(url);

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.That(csp, Does.Contain("script-src 'self'").And.Contain("frame-ancestors 'none'").And.Not.Contain("unsafe"));
        Assert.That(response.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
        Assert.That(response.Headers.GetValues("X-Frame-Options"), Is.EqualTo(new[] { "DENY" }));
    }

    [Test]
    public async Task The_page_has_no_inline_script_handlers_or_styles_and_never_builds_html_from_strings()
    {
        await using var site = await TestSite.Start();
        var page = await site.Http.GetStringAsync("/");
        var modules = Endpoints.PageModules;
        Assert.That(modules, Does.Contain("common.js").And.Contain("ev.js"));
        var script = string.Join("\n", await Task.WhenAll(modules.Select(m => site.Http.GetStringAsync($"/js/{m}")).Append(site.Http.GetStringAsync("/app.js"))));

        Assert.That(page, Does.Not.Match(@"<script(?![^>]*\bsrc=)").And.Not.Match(@"\son[a-z]+=").And.Not.Contain("style="));
        Assert.That(script, Does.Not.Contain("innerHTML").And.Not.Contain("insertAdjacentHTML").And.Not.Contain("outerHTML")
            .And.Not.Contain("document.write").And.Not.Contain("eval("));
    }

    [Test]
    public async Task With_an_api_key_every_write_needs_it_and_reads_do_not()
    {
        await using var site = await TestSite.Start("ApiKey = s3cret-key");

        var without = await site.Anonymous.SendAsync(Request(HttpMethod.Post, "/api/journal/flush"));
        var wrong = await site.Anonymous.SendAsync(Request(HttpMethod.Post, "/api/journal/flush", key: "s3cret-kez"));
        var prefix = await site.Anonymous.SendAsync(Request(HttpMethod.Post, "/api/journal/flush", key: "s3cret"));
        var right = await site.Anonymous.SendAsync(Request(HttpMethod.Post, "/api/journal/flush", key: "s3cret-key"));

        Assert.That(without.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await without.Content.ReadAsStringAsync(), Does.Contain("X-Api-Key"));
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(prefix.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await site.Anonymous.GetAsync("/api/state")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "reads need no key without ProtectReads");
    }

    [Test]
    public async Task With_protected_reads_the_api_needs_the_key_and_the_page_trades_it_for_a_strict_cookie()
    {
        await using var site = await TestSite.Start("ApiKey = s3cret-key\nProtectReads = true");

        foreach (var url in new[] { "/api/state", "/api/health", "/api/events", "/api/stream", "/metrics" })
        {
            Assert.That((await site.Anonymous.GetAsync(url)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), url);
        }
        Assert.That((await site.Anonymous.GetAsync("/")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the page itself holds no data");
        foreach (var asset in new[] { "/app.js", "/js/common.js", "/js/ev.js", "/app.css", "/lib/uplot.js", "/lib/uplot.css" })
        {
            Assert.That((await site.Anonymous.GetAsync(asset)).StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{asset}: the page's assets load before the key is given");
        }
        Assert.That((await site.Anonymous.SendAsync(Request(HttpMethod.Get, "/api/state", key: "s3cret-key"))).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var refused = await site.Anonymous.SendAsync(Request(HttpMethod.Post, ApiKeyCheck.LoginPath, key: "guess"));
        var login = await site.Anonymous.SendAsync(Request(HttpMethod.Post, ApiKeyCheck.LoginPath, key: "s3cret-key"));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(refused.Headers.Contains("Set-Cookie"), Is.False);
        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var cookie = login.Headers.GetValues("Set-Cookie").Single();
        Assert.That(cookie, Does.Contain("httponly").IgnoreCase.And.Contain("samesite=strict").IgnoreCase.And.Not.Contain("s3cret-key"));

        using var withCookie = Request(HttpMethod.Get, "/api/state");
        withCookie.Headers.Add("Cookie", cookie.Split(';')[0]);
        using var forged = Request(HttpMethod.Get, "/api/state");
        forged.Headers.Add("Cookie", $"{ApiKeyCheck.Cookie}=s3cret-key");
        Assert.That((await site.Anonymous.SendAsync(withCookie)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await site.Anonymous.SendAsync(forged)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Without_a_key_in_the_config_writes_need_the_one_generated_into_the_data_dir()
    {
        await using var site = await TestSite.Start();
        var file = Path.Combine(site.Dir, "data", GeneratedApiKey.FileName);
        var key = (await File.ReadAllTextAsync(file)).Trim();

        var anyone = await site.Anonymous.PutAsync("/api/services/ExportGuard/settings/PauseHours", new StringContent("72"));
        var login = await site.Anonymous.SendAsync(Request(HttpMethod.Post, ApiKeyCheck.LoginPath, key: key));

        Assert.That(anyone.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "another local user cannot write");
        Assert.That(await anyone.Content.ReadAsStringAsync(), Does.Contain(GeneratedApiKey.FileName));
        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), "the page logs in with the generated key");
        Assert.That(key, Has.Length.GreaterThanOrEqualTo(40));
        Assert.That(File.GetUnixFileMode(file), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(GeneratedApiKey.Resolve(new Core.Config.WebOptions(), Path.GetDirectoryName(file)!).Key, Is.EqualTo(key), "kept across restarts");
        Assert.That(GeneratedApiKey.Resolve(new Core.Config.WebOptions { ApiKey = "own" }, Path.GetDirectoryName(file)!), Is.EqualTo(("own", (string?)null)));
        Assert.That(GeneratedApiKey.Resolve(new Core.Config.WebOptions(), Directory.CreateTempSubdirectory().FullName).Key, Is.Not.EqualTo(key), "each site its own");
    }

    [Test]
    public async Task Health_says_whether_the_api_is_open_to_the_network_without_a_key()
    {
        await using var site = await TestSite.Start();
        var web = JsonDocument.Parse(await site.Http.GetStringAsync("/api/health")).RootElement.GetProperty("web");

        Assert.That(web.GetProperty("loopbackOnly").GetBoolean(), Is.True);
        Assert.That(web.GetProperty("apiKey").GetBoolean(), Is.False);
        Assert.That(WebServer.Exposure(new Core.Config.WebOptions { Address = "0.0.0.0" }), Does.Contain("[Web] ApiKey"));
        Assert.That(WebServer.Exposure(new Core.Config.WebOptions { Address = "0.0.0.0", ApiKey = "k" }), Is.Null);
        Assert.That(WebServer.Exposure(new Core.Config.WebOptions { Address = "::1" }), Is.Null);
    }

    [TestCase("/api/history?series=grid/Meter.PowerW&to=0001-01-01T00:00:00Z")]
    [TestCase("/api/history?series=grid/Meter.PowerW&from=0001-01-01T00:00:00Z&to=0001-01-01T00:00:01Z")]
    [TestCase("/api/history?series=grid/Meter.PowerW&from=9999-12-31T23:59:59Z")]
    [TestCase("/api/history?series=grid/Meter.PowerW&points=99999999999")]
    [TestCase("/api/events?since=-1&limit=99999999999")]
    [TestCase("/graph?from=00010101&to=99991231&col_1=grid/Meter.PowerW")]
    public async Task Parameters_at_the_edges_are_answered_without_a_server_error(string url)
    {
        await using var site = await TestSite.Start();
        await WaitForSeries(site);
        var response = await site.Http.GetAsync(url);
        Assert.That((int)response.StatusCode, Is.LessThan(500), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Random_queries_never_cause_a_server_error()
    {
        await using var site = await TestSite.Start();
        await WaitForSeries(site);
        var value = Gen.OneOf(
            Gen.String[Gen.Char.AlphaNumeric, 0, 12],
            Gen.Int.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Gen.Long.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Gen.DateTime.Select(d => d.ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
            Gen.Const("grid/Meter.PowerW"), Gen.Const(""), Gen.Const("%00"), Gen.Const("0001-01-01T00:00:00Z"), Gen.Const("9999-12-31T23:59:59Z"),
            Gen.String.Select(Uri.EscapeDataString));
        var keys = Gen.OneOf("series", "from", "to", "points", "since", "limit", "service", "col_1", "col_2", "lastEventId");
        var path = Gen.OneOf("/api/history", "/api/events", "/graph", "/api/state", "/api/commands");
        var query = Gen.Select(path, Gen.Select(keys, value).Array[0, 5]);

        await query.SampleAsync(async (route, parameters) =>
        {
            var url = route + "?" + string.Join("&", parameters.Select(p => $"{p.Item1}={p.Item2}"));
            var response = await site.Http.GetAsync(url);
            Assert.That((int)response.StatusCode, Is.LessThan(500), url);
        }, iter: 400, threads: 1);
    }

    [Test]
    public async Task The_event_log_is_read_without_flushing_the_journal_and_a_keyed_post_flushes_it()
    {
        await using var site = await TestSite.Start(flushInterval: "1m");
        var journal = site.Host.Services.GetRequiredService<SiteJournal>();
        journal.Add(new DecisionRecord(DateTimeOffset.UtcNow, "Probe", "queued", "{}"));

        var before = JsonDocument.Parse(await site.Http.GetStringAsync("/api/events?service=Probe")).RootElement.GetArrayLength();
        var flush = await site.Http.PostAsync("/api/journal/flush", null);
        var after = JsonDocument.Parse(await site.Http.GetStringAsync("/api/events?service=Probe")).RootElement.GetArrayLength();

        Assert.That(before, Is.Zero, "a GET has no side effects");
        Assert.That(flush.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(after, Is.EqualTo(1));
    }

    [Test]
    public async Task Streams_are_limited_and_a_new_client_gets_only_the_recent_events()
    {
        await using var site = await TestSite.Start("MaxStreams = 2\nStreamReplay = 2");
        using var one = await OpenStream(site);
        long lastSeen = 0;
        while (lastSeen < 10)
        {
            lastSeen = await NextId(one.Reader);
        }
        using var two = await OpenStream(site);
        var firstOfNew = await NextId(two.Reader);
        var third = await site.Http.GetAsync("/api/stream", HttpCompletionOption.ResponseHeadersRead);

        Assert.That(firstOfNew, Is.GreaterThanOrEqualTo(lastSeen - 1), "at most StreamReplay events from before it connected");
        Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(third.Headers.RetryAfter, Is.Not.Null);
        Assert.That(await third.Content.ReadAsStringAsync(), Does.Contain("MaxStreams"));
    }

    [Test]
    public async Task One_client_cannot_hold_every_stream()
    {
        await using var site = await TestSite.Start("MaxStreams = 10\nMaxStreamsPerClient = 2");
        using var one = await OpenStream(site);
        using var two = await OpenStream(site);
        var third = await site.Http.GetAsync("/api/stream", HttpCompletionOption.ResponseHeadersRead);

        Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(await third.Content.ReadAsStringAsync(), Does.Contain("holds 2 streams already ([Web] MaxStreamsPerClient)"));
        one.Dispose();
        // The closed stream is counted out once the server sees it end.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        HttpResponseMessage again;
        while ((again = await site.Http.GetAsync("/api/stream", HttpCompletionOption.ResponseHeadersRead)).StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            again.Dispose();
            await Task.Delay(50);
        }
        using (again)
        {
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a freed place is given again");
        }
    }

    [Test]
    public async Task A_body_larger_than_any_write_is_refused_before_it_is_read()
    {
        await using var site = await TestSite.Start("");
        for (var i = 0; i < 3; i++)
        {
            // Announce 10 MB, send 1 kB of it: the answer comes at once, so the rest is never read.
            using var client = new System.Net.Sockets.TcpClient();
            await client.ConnectAsync(site.Http.BaseAddress!.Host, site.Http.BaseAddress.Port);
            var stream = client.GetStream();
            var head = $"PUT /api/services/Probe/settings/Anything HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {10 * 1024 * 1024}\r\n\r\n";
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(new byte[1024]);
            using var reader = new StreamReader(stream);
            Assert.That(await reader.ReadLineAsync(), Does.StartWith("HTTP/1.1 413"));
        }
        Assert.That((await site.Http.GetAsync("/api/health")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the server goes on answering");
    }

    private sealed record OpenedStream(HttpResponseMessage Response, StreamReader Reader) : IDisposable
    {
        public void Dispose()
        {
            Reader.Dispose();
            Response.Dispose();
        }
    }

    private static async Task<OpenedStream> OpenStream(TestSite site)
    {
        var response = await site.Http.GetAsync("/api/stream", HttpCompletionOption.ResponseHeadersRead);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return new OpenedStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    private static async Task<long> NextId(StreamReader reader)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                return long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        throw new EndOfStreamException();
    }

    private static async Task WaitForSeries(TestSite site)
    {
        var journal = site.Host.Services.GetRequiredService<SiteJournal>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (journal.Series().Count == 0)
        {
            await Task.Delay(50, timeout.Token);
        }
    }
}
