using EnergyHub.Protocols;
using EnergyHub.TestSupport;
using EnergyHub.Readings;
using EnergyHub.Time;
using EnergyHub.Core.Devices;
using EnergyHub.Core.Tests.Support;
using EnergyHub.Options;
using EnergyHub.Site;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Core.Tests.Devices;

public sealed class DevicePollerTests
{
    private ManualTimeProvider _time = null!;
    private FakeMeter _meter = null!;
    private SiteState _site = null!;
    private DevicePoller _poller = null!;
    private DeviceRegistry _devices = null!;

    [SetUp]
    public void Build()
    {
        _time = new ManualTimeProvider(Sessions.Start);
        _meter = new FakeMeter("grid", _time);
        var options = new DeviceOptions { Driver = "fake", PollInterval = TimeSpan.FromSeconds(5), OfflineAfterFailures = 3 };
        var devices = _devices = new DeviceRegistry([Sessions.Of(_meter, _time, options)]);
        _site = new SiteState(devices, _time);
        _poller = new DevicePoller(devices.Sessions.Single(), _site, _time, NullLogger.Instance);
    }

    private DeviceState Grid => _site.Snapshot()["grid"];

    [Test]
    public void The_same_reading_read_again_refreshes_health_but_is_recorded_once()
    {
        var recorded = new List<DeviceReading>();
        _site.ReadingRecorded += (_, reading) => recorded.Add(reading);
        var pushed = new DeviceReading { Timestamp = _time.GetUtcNow(), Meter = new EnergyHub.Readings.MeterReading(5) };
        _site.RecordFailure("grid", "no message yet");

        _site.RecordSuccess("grid", pushed);
        _site.RecordSuccess("grid", pushed);
        _site.RecordSuccess("grid", pushed with { });

        Assert.That(recorded, Has.Count.EqualTo(2), "a new instance is a new measurement, even with equal values");
        Assert.That(_site.FailuresOf("grid"), Is.Zero);
    }

    [Test]
    public void A_reading_read_again_after_it_aged_past_stale_after_raises_the_change_once()
    {
        var changes = new List<(DeviceHealth Before, DeviceHealth After)>();
        var times = new List<DateTimeOffset>();
        _site.HealthChanged += h => changes.Add((h.Before, h.After));
        _site.HealthChanged += h => times.Add(h.Time);
        var pushed = new DeviceReading { Timestamp = _time.GetUtcNow(), Meter = new EnergyHub.Readings.MeterReading(5) };

        _site.RecordSuccess("grid", pushed);
        _time.Advance(TimeSpan.FromSeconds(16)); // past StaleAfter (3 × 5 s) with no new message
        _site.RecordSuccess("grid", pushed);
        _site.RecordSuccess("grid", pushed);
        _site.RecordSuccess("grid", pushed with { Timestamp = _time.GetUtcNow() });

        Assert.That(changes, Is.EqualTo(new[] { (DeviceHealth.Unknown, DeviceHealth.Online), (DeviceHealth.Online, DeviceHealth.Stale), (DeviceHealth.Stale, DeviceHealth.Online) }));
        Assert.That(times, Is.EqualTo(new[] { Sessions.Start, Sessions.Start.AddSeconds(16), Sessions.Start.AddSeconds(16) }),
            "the site's clock, which the journal, the stream and the observers all take the change's time from");
    }

    [Test]
    public async Task Health_goes_from_unknown_to_online_to_stale_as_the_reading_ages()
    {
        Assert.That(Grid.Health, Is.EqualTo(DeviceHealth.Unknown));
        await _poller.PollOnceAsync(CancellationToken.None);
        Assert.That(Grid.Health, Is.EqualTo(DeviceHealth.Online));
        Assert.That(Grid.Reading!.Meter!.PowerW, Is.EqualTo(100));

        _time.Advance(TimeSpan.FromSeconds(15));
        Assert.That(Grid.Health, Is.EqualTo(DeviceHealth.Online), "stale after 3 poll intervals, not at");
        Assert.That(Grid.Age, Is.EqualTo(TimeSpan.FromSeconds(15)));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(Grid.Health, Is.EqualTo(DeviceHealth.Stale));
        Assert.That(_site.Snapshot().Fresh("grid", TimeSpan.FromMinutes(1)), Is.Null, "services get nothing from a stale device");
    }

    [Test]
    public async Task Failures_make_a_device_offline_and_one_success_brings_it_back()
    {
        await _poller.PollOnceAsync(CancellationToken.None);
        _meter.FailWith = new TimeoutException("no answer");
        Assert.That(await _poller.PollOnceAsync(CancellationToken.None), Is.EqualTo(1));
        Assert.That(Grid.Health, Is.EqualTo(DeviceHealth.Online), "one failure with fresh data is not yet a problem");
        await _poller.PollOnceAsync(CancellationToken.None);
        await _poller.PollOnceAsync(CancellationToken.None);
        Assert.That(Grid.Health, Is.EqualTo(DeviceHealth.Offline));
        Assert.That(Grid.LastError, Is.EqualTo("no answer"));
        Assert.That(Grid.Reading, Is.Not.Null, "the last good reading is kept, with its age");

        _meter.FailWith = null;
        Assert.That(await _poller.PollOnceAsync(CancellationToken.None), Is.EqualTo(0));
        Assert.That(Grid.Health, Is.EqualTo(DeviceHealth.Online));
        Assert.That(Grid.LastError, Is.Null);
    }

    [Test]
    public async Task The_loop_polls_every_interval_and_backs_off_while_failing()
    {
        using var stop = new CancellationTokenSource();
        var loop = _poller.RunAsync(null, stop.Token);
        await Eventually.Until(() => _meter.Reads == 1 && _poller.IsWaiting && _time.ArmedTimers == 1, "the first read");

        _time.Advance(TimeSpan.FromSeconds(5));
        await Eventually.Until(() => _meter.Reads == 2 && _poller.IsWaiting && _time.ArmedTimers == 1, "the second read after one interval");

        _meter.FailWith = new IOException("down");
        _time.Advance(TimeSpan.FromSeconds(5));
        await Eventually.Until(() => _meter.Reads == 3 && _poller.IsWaiting && _time.ArmedTimers == 1, "the first failing read");
        _time.Advance(TimeSpan.FromSeconds(5));   // backoff after 1 failure: 5 s
        await Eventually.Until(() => _meter.Reads == 4 && _poller.IsWaiting && _time.ArmedTimers == 1, "the second failing read");
        _time.Advance(TimeSpan.FromSeconds(9));   // backoff after 2 failures: 10 s
        Assert.That(_time.ArmedTimers == 1 && _poller.IsWaiting, Is.True, "the backoff's timer has not fired after 9 s");
        Assert.That(_meter.Reads, Is.EqualTo(4), "no read before the backoff has passed");
        _time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.Until(() => _meter.Reads == 5, "the read after the backoff");

        await stop.CancelAsync();
        await loop;
    }

    [Test]
    public async Task A_device_back_from_a_long_outage_is_read_again_within_the_backoff_cap()
    {
        using var stop = new CancellationTokenSource();
        _meter.FailWith = new IOException("down");
        var loop = _poller.RunAsync(null, stop.Token);
        await Eventually.Until(() => _meter.Reads == 1 && _poller.IsWaiting && _time.ArmedTimers == 1, "the first failing read");
        for (var second = 0; second < 75; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Eventually.Until(() => _poller.IsWaiting && _time.ArmedTimers == 1, "waiting for the next attempt");
        }
        _meter.FailWith = null; // back after 75 s

        var waited = TimeSpan.Zero;
        while (Grid.Health != DeviceHealth.Online && waited < TimeSpan.FromSeconds(30))
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            waited += TimeSpan.FromSeconds(1);
            await Eventually.Until(() => _poller.IsWaiting && _time.ArmedTimers == 1 || Grid.Health == DeviceHealth.Online, "the loop waits again");
        }

        Assert.That(Grid.Health, Is.EqualTo(DeviceHealth.Online));
        Assert.That(waited, Is.LessThanOrEqualTo(DevicePoller.MaxBackoff), "not the minute-long backoff of before");
        await stop.CancelAsync();
        await loop;
    }

    [Test]
    public async Task A_driver_that_hangs_ignoring_cancellation_times_out_and_never_gets_a_second_caller_beside_it()
    {
        _meter.HangUntil = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hung = _poller.PollOnceAsync(CancellationToken.None);
        await Eventually.Until(() => _meter.Reads == 1 && _time.ArmedTimers == 1, "the read hangs, its timeout armed");
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.That(await hung, Is.EqualTo(1), "the hung read counts as a failure after the device's timeout");
        Assert.That(_site.LastErrorOf("grid"), Does.Contain("did not answer within 10 s"));

        var next = _poller.PollOnceAsync(CancellationToken.None);
        await Eventually.Until(() => _time.ArmedTimers == 1, "the next read waits for the device");
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.That(await next, Is.EqualTo(2));
        Assert.That(_site.LastErrorOf("grid"), Does.Contain("stayed busy"), "it waited instead of reading beside the hung call");
        Assert.That(_meter.Reads, Is.EqualTo(1));

        _meter.HangUntil.SetResult();
        _meter.HangUntil = null;
        await Eventually.Until(() => _meter.Concurrent == 0, "the hung call ends");
        Assert.That(await _poller.PollOnceAsync(CancellationToken.None), Is.Zero, "the device is usable again");
        Assert.That(_meter.MostConcurrent, Is.EqualTo(1));
    }

    [Test]
    public async Task A_driver_that_blocks_its_thread_inside_a_read_holds_up_nobody_and_times_out()
    {
        using var block = new ManualResetEventSlim();
        _meter.BlockThreadUntil = block;
        var returned = new TaskCompletionSource<Task<int>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var caller = new Thread(() => returned.SetResult(_poller.PollOnceAsync(CancellationToken.None))) { IsBackground = true };
        caller.Start();

        var hung = await returned.Task.WaitAsync(TimeSpan.FromSeconds(10)); // throws if the caller's thread is held by the driver
        await Eventually.Until(() => _time.ArmedTimers == 1, "the read's timeout is armed");
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.That(await hung, Is.EqualTo(1));
        Assert.That(_site.LastErrorOf("grid"), Does.Contain("did not answer within 10 s"));

        _meter.BlockThreadUntil = null;
        block.Set();
        await Eventually.Until(() => _meter.Concurrent == 0 && _meter.Reads == 1, "the blocked call ends");
        Assert.That(await _poller.PollOnceAsync(CancellationToken.None), Is.Zero, "the device is usable again");
    }

    [Test]
    public async Task Data_that_ages_past_stale_after_while_reads_still_succeed_is_one_line()
    {
        var logger = new ListLogger<DevicePoller>();
        var poller = new DevicePoller(SessionOf("grid"), _site, _time, logger);
        _meter.FixedTimestamp = _time.GetUtcNow();
        for (var i = 0; i < 10; i++)
        {
            await poller.PollOnceAsync(CancellationToken.None);
            _time.Advance(TimeSpan.FromSeconds(5));
        }

        var lines = logger.Lines.Where(l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Warning).Select(l => l.Text).ToList();
        Assert.That(lines, Has.Count.EqualTo(1), string.Join("\n", lines));
        Assert.That(lines[0], Is.EqualTo("Device grid is Stale (was Online): its newest data is 20s old, more than StaleAfter = 15s"));
    }

    private DeviceSession SessionOf(string id) => _devices.Sessions.Single(s => s.Id == id);

    [Test]
    public async Task A_read_that_fails_because_the_link_closes_while_stopping_ends_the_loop_quietly()
    {
        using var stop = new CancellationTokenSource();
        // The stop arrives while a read is failing because the (emulated) device has just gone away.
        _meter.OnRead = stop.Cancel;
        _meter.FailWith = new IOException("Unable to read beyond the end of the stream");

        var loop = _poller.RunAsync(null, stop.Token);

        Assert.That(async () => await loop, Throws.Nothing, "a stop never throws out of the pollers");
    }

    [TestCase(1, 5)]
    [TestCase(2, 10)]
    [TestCase(4, 40)]
    [TestCase(5, 60)]
    [TestCase(50, 60)]
    public void Backoff_doubles_up_to_its_cap(int failures, double seconds) =>
        Assert.That(Backoff.Delay(TimeSpan.FromSeconds(5), failures, TimeSpan.FromMinutes(1)), Is.EqualTo(TimeSpan.FromSeconds(seconds)));
}
