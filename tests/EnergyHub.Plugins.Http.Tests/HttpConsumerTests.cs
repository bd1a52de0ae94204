using System.Text.Json;
using EnergyHub.Plugins.Simulator.Emulators;
using EnergyHub.Testing;
using EnergyHub.TestSupport;
using EnergyHub.Time;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Plugins.Http.Tests;

/// <summary>The http-consumer driver against a Tasmota-style plug over real HTTP on 127.0.0.1.</summary>
public sealed class HttpConsumerTests
{
    private static readonly ManualTimeProvider Time = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>A Tasmota plug: cmnd=Power On|Off switches (unless stuck), cmnd=Power answers the state, cmnd=Status 8 the power.</summary>
    private sealed class TasmotaPlug : HttpEmulator
    {
        public bool On { get; set; }

        public bool Stuck { get; set; }

        public double LoadW { get; set; } = 1500;

        protected override EmulatorResponse Answer(string pathAndQuery, Func<string, string?> header)
        {
            var command = pathAndQuery.Split("cmnd=", 2) is [_, var c] ? c : "";
            if (!Stuck && command is "Power On" or "Power Off")
            {
                On = command == "Power On";
            }
            return command switch
            {
                "Power" or "Power On" or "Power Off" => new EmulatorResponse(200, JsonSerializer.Serialize(new { POWER = On ? "ON" : "OFF" })),
                "Status 8" => new EmulatorResponse(200, JsonSerializer.Serialize(new { StatusSNS = new { ENERGY = new { Power = On ? LoadW : 0 } } })),
                _ => new EmulatorResponse(400, "{\"Command\":\"Unknown\"}"),
            };
        }
    }

    private static HttpConsumerOptions Options(TasmotaPlug plug, bool withPower = true) => new()
    {
        Driver = "http-consumer",
        OnUrl = new Uri(plug.BaseAddress, "cm?cmnd=Power%20On"),
        OffUrl = new Uri(plug.BaseAddress, "cm?cmnd=Power%20Off"),
        StatusUrl = new Uri(plug.BaseAddress, "cm?cmnd=Power"),
        IsOnKeywordRegex = "\"POWER\":\"ON\"",
        PowerUrl = withPower ? new Uri(plug.BaseAddress, "cm?cmnd=Status%208") : null,
        PowerExtractRegex = withPower ? "\"Power\":([0-9.]+)" : "",
        OnPowerW = withPower ? null : 1200,
        RequestTimeout = TimeSpan.FromMilliseconds(500),
    };

    private static HttpConsumer Consumer(HttpConsumerOptions options) =>
        new(options, new DeviceContext("pool", NullLogger.Instance, Time, Path.GetTempPath(), new NoServices()));

    private static TasmotaPlug Plug()
    {
        var plug = new TasmotaPlug();
        plug.Start(0);
        return plug;
    }

    [Test]
    public async Task It_switches_on_confirmed_by_its_status_and_reads_its_power_or_the_configured_one()
    {
        await using var plug = Plug();
        using var consumer = Consumer(Options(plug));
        using var unmetered = Consumer(Options(plug, withPower: false));

        var off = await consumer.ReadAsync(CancellationToken.None);
        await consumer.SetSwitchAsync(true, CancellationToken.None);
        var on = await consumer.ReadAsync(CancellationToken.None);
        var estimated = await unmetered.ReadAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That((off.Consumer!.IsOn, off.Meter!.PowerW), Is.EqualTo((false, 0.0)));
            Assert.That((on.Consumer!.IsOn, on.Meter!.PowerW, plug.On), Is.EqualTo((true, 1500.0, true)), "es-ESS's README spelling IsOnKeywordRegex works");
            Assert.That(estimated.Meter!.PowerW, Is.EqualTo(1200), "OnPowerW while on, without a power URL");
        });
    }

    [Test]
    public async Task A_plug_that_does_not_switch_is_an_error_that_says_what_to_check()
    {
        await using var plug = Plug();
        plug.Stuck = true;
        using var consumer = Consumer(Options(plug));
        Assert.That(() => consumer.SetSwitchAsync(true, CancellationToken.None),
            Throws.InstanceOf<IOException>().With.Message.Contains("its status still reads off; check OnUrl and OnKeywordRegex"));
    }

    [Test]
    public async Task A_plug_that_hangs_times_out_and_a_power_text_without_a_number_says_so()
    {
        await using var plug = Plug();
        using var consumer = Consumer(Options(plug));
        plug.Hold();
        Assert.That(async () => await consumer.ReadAsync(CancellationToken.None),
            Throws.InstanceOf<TimeoutException>().With.Message.Contains("did not answer within 0.5 s (RequestTimeout)"));
        plug.Release();

        using var wrong = Consumer(new HttpConsumerOptions
        {
            Driver = "http-consumer", OnUrl = plug.BaseAddress, OffUrl = plug.BaseAddress, StatusUrl = new Uri(plug.BaseAddress, "cm?cmnd=Power"),
            OnKeywordRegex = "ON", PowerUrl = new Uri(plug.BaseAddress, "cm?cmnd=Power"), PowerExtractRegex = "\"POWER\":\"(\\w+)\"",
        });
        Assert.That(async () => await wrong.ReadAsync(CancellationToken.None), Throws.InstanceOf<FormatException>().With.Message.Contains("finds 'OFF', which is not a number"));
    }

    [Test]
    public void Its_keys_are_checked_before_it_runs()
    {
        var uri = new Uri("http://127.0.0.1/");
        IReadOnlyList<string> Problems(HttpConsumerOptions o) => OptionsCheck.Problems(o);
        Assert.Multiple(() =>
        {
            Assert.That(Problems(new() { Driver = "http-consumer", OnUrl = uri, OffUrl = uri, StatusUrl = uri, OnPowerW = 100 }),
                Has.Some.Contains("set OnKeywordRegex"));
            Assert.That(Problems(new() { Driver = "http-consumer", OnUrl = uri, OffUrl = uri, StatusUrl = uri, OnKeywordRegex = "ON", IsOnKeywordRegex = "On", OnPowerW = 100 }),
                Has.Some.Contains("the same key in two spellings"));
            Assert.That(Problems(new() { Driver = "http-consumer", OnUrl = uri, OffUrl = uri, StatusUrl = uri, OnKeywordRegex = "(" , OnPowerW = 100 }),
                Has.Some.Contains("'(' is not a regular expression"));
            Assert.That(Problems(new() { Driver = "http-consumer", OnUrl = uri, OffUrl = uri, StatusUrl = uri, OnKeywordRegex = "ON", PowerUrl = uri }),
                Has.Some.Contains("a power source needs PowerExtractRegex"));
            Assert.That(Problems(new() { Driver = "http-consumer", OnUrl = uri, OffUrl = uri, StatusUrl = uri, OnKeywordRegex = "ON" }),
                Has.Some.Contains("without a power source, set OnPowerW"));
            Assert.That(Problems(new() { Driver = "http-consumer", OnUrl = uri, OffUrl = uri, StatusUrl = uri, OnKeywordRegex = "ON", OnPowerW = 100 }), Is.Empty);
        });
    }
}
