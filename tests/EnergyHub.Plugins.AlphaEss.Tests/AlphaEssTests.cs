using EnergyHub.Time;
using EnergyHub.TestSupport;
using System.Net;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Plugins.AlphaEss.Tests;

public sealed class AlphaEssTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    private sealed class LineLog : ILogger
    {
        public List<string> Lines { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Lines.Add($"{logLevel}: {formatter(state, exception)}");
            }
        }
    }

    private sealed class Api(Func<string, string> answer) : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(answer(request.RequestUri!.PathAndQuery)) });
        }
    }


    private static (AlphaEssSystem Driver, ManualTimeProvider Time, LineLog Log) Driver(Api api, string sysSn = "", bool batteryPositiveIsCharge = false,
        string? dataDir = null, ManualTimeProvider? clock = null)
    {
        var time = clock ?? new ManualTimeProvider(Now);
        var log = new LineLog();
        var options = new AlphaEssOptions { Driver = "alphaess", AppId = "alpha0123456789abc", AppSecret = "0123456789abcdef0123456789abcdef", SystemSn = sysSn, BatteryPositiveIsCharge = batteryPositiveIsCharge };
        return (new AlphaEssSystem(options, new DeviceContext("battery", log, time, dataDir ?? Directory.CreateTempSubdirectory("alphaess-").FullName, new NoServices()), api), time, log);
    }

    private static Api Serving(string lastPowerData) =>
        new(path => path.Contains("getEssList", StringComparison.Ordinal) ? Fixture("getEssList.json") : Fixture(lastPowerData));

    [Test]
    public void The_signature_matches_the_worked_example() =>
        Assert.That(AlphaEssApi.Sign("alpha0123456789abc", "0123456789abcdef0123456789abcdef", 1735689600), Is.EqualTo(
            "3602edf030da394246e962dd1f06409bad6e2e74f5ef444b3c3a554ab3d2ccbb575bcc8877d6820ee55e7e2e2f5ae7903c5368a61f202cbbd99a77103b7be1db"));

    [Test]
    public async Task Requests_are_signed_and_values_turn_into_sdk_signs()
    {
        var api = Serving("getLastPowerData_full.json");
        var (driver, _, log) = Driver(api);

        var reading = await driver.ReadAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(reading.Battery!.PowerW, Is.EqualTo(1500), "pbat -1500 (charging, AlphaESS signs) = +1500 charging");
            Assert.That(reading.Battery.SocPct, Is.EqualTo(62.4));
            Assert.That(reading.Meter!.PowerW, Is.EqualTo(-770), "exporting");
            Assert.That(reading.Load!.PowerW, Is.EqualTo(850));
            Assert.That(reading.Inverter!.PvPowerW, Is.EqualTo(3120));
            Assert.That(driver.CapacityWh, Is.EqualTo(8190).Within(1e-6));
            Assert.That(log.Lines, Has.None.Contains("does not balance"));
            Assert.That(reading.RawPayload, Does.Contain("\"pbat\"").And.Contain("-1500"), "the data object as AlphaESS sent it, for decision events");
        });
        var request = api.Requests[1];
        Assert.That(request.RequestUri!.PathAndQuery, Is.EqualTo("/api/getLastPowerData?sysSn=SERIAL"));
        Assert.That(request.Headers.GetValues("timeStamp").Single(), Is.EqualTo("1735689600"));
        Assert.That(request.Headers.GetValues("sign").Single(), Does.StartWith("3602edf0"));
    }

    [Test]
    public async Task A_contradicting_battery_sign_is_named_with_the_flag_to_flip()
    {
        // 3120 W PV − 770 W export − 1500 W = 850 W load only if pbat + = discharge (here −1500: charging).
        var (driver, _, log) = Driver(Serving("getLastPowerData_full.json"), batteryPositiveIsCharge: true);
        await driver.ReadAsync(CancellationToken.None);
        Assert.That(log.Lines, Has.Some.Contains("does not balance").And.Some.Contains("set BatteryPositiveIsCharge = false in [Device:battery]"));
    }

    [Test]
    public async Task Polls_faster_than_allowed_get_the_last_values_and_6053_backs_off()
    {
        var throttled = false;
        var api = new Api(path => path.Contains("getEssList", StringComparison.Ordinal) ? Fixture("getEssList.json")
            : throttled ? Fixture("error_6053.json") : Fixture("getLastPowerData_full.json"));
        var (driver, time, _) = Driver(api);
        await driver.ReadAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(5));
        await driver.ReadAsync(CancellationToken.None);
        Assert.That(api.Requests, Has.Count.EqualTo(2), "no request within 10 s of the last");

        throttled = true;
        time.Advance(TimeSpan.FromSeconds(5));
        var kept = await driver.ReadAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(14));
        await driver.ReadAsync(CancellationToken.None);
        Assert.That(api.Requests, Has.Count.EqualTo(3), "after 6053 the next request waits 15 s");
        Assert.That(kept.Timestamp, Is.EqualTo(Now), "the last values keep their own time, so they age");
    }

    [Test]
    public async Task A_restart_within_the_request_interval_waits_out_the_rest_instead_of_being_refused()
    {
        var api = Serving("getLastPowerData_full.json");
        var dir = Directory.CreateTempSubdirectory("alphaess-").FullName;
        var (before, time, _) = Driver(api, dataDir: dir);
        await before.ReadAsync(CancellationToken.None);
        before.Dispose();
        time.Advance(TimeSpan.FromSeconds(3)); // systemctl restart

        var (after, _, _) = Driver(api, dataDir: dir, clock: time);
        var first = after.ReadAsync(CancellationToken.None).AsTask();
        await Eventually.Until(() => time.ArmedTimers == 1, "the first read waits");
        Assert.That((first.IsCompleted, api.Requests.Count), Is.EqualTo((false, 2)), "nothing asked within 10 s of the last process's request");
        time.Advance(TimeSpan.FromSeconds(7));
        var reading = await first.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(reading.Battery!.SocPct, Is.EqualTo(62.4), "the first read brings data, so start-up has telemetry");
        Assert.That(api.Requests, Has.Count.EqualTo(4));

        var (replayed, _, _) = Driver(api, dataDir: dir, clock: new ManualTimeProvider(Now.AddDays(-1)));
        Assert.That((await replayed.ReadAsync(CancellationToken.None)).Battery, Is.Not.Null, "a kept time in the clock's future (a replay started again) is ignored");
    }

    [TestCase("error_6006.json", "clock is more than 300 s off")]
    [TestCase("getLastPowerData_nulls.json", "all fields null")]
    public void Errors_say_what_to_do(string fixture, string message)
    {
        var (driver, _, _) = Driver(Serving(fixture));
        Assert.That(async () => await driver.ReadAsync(CancellationToken.None), Throws.InstanceOf<IOException>().With.Message.Contains(message));
    }

    [Test]
    public async Task A_system_is_chosen_by_position_or_serial_and_several_are_listed_when_none_is_set()
    {
        var api = new Api(path => path.Contains("getEssList", StringComparison.Ordinal) ? Fixture("getEssList_multiple.json") : Fixture("getLastPowerData_full.json"));
        var (byIndex, _, _) = Driver(api, sysSn: "2");
        await byIndex.ReadAsync(CancellationToken.None);
        Assert.That(api.Requests[^1].RequestUri!.Query, Is.EqualTo("?sysSn=SERIALB"));

        var (ambiguous, _, _) = Driver(api);
        Assert.That(async () => await ambiguous.ReadAsync(CancellationToken.None), Throws.InstanceOf<IOException>().With.Message.Contains("set SystemSn in [Device:battery]"));
    }
}
