using EnergyHub.TestSupport;
using EnergyHub.Time;
using EnergyHub.Commands;
using EnergyHub.Core.Commands;
using EnergyHub.Core.Devices;
using EnergyHub.Core.Tests.Support;
using EnergyHub.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Core.Tests.Commands;

public sealed class CommandGateTests
{
    private ManualTimeProvider _time = null!;
    private FakeInverter _inverter = null!;
    private CommandAuditLog _audit = null!;
    private CommandGate _gate = null!;

    [SetUp]
    public void Build()
    {
        _time = new ManualTimeProvider(Sessions.Start);
        _inverter = new FakeInverter("roof", _time);
        var meter = new FakeMeter("grid", _time);
        var options = new DeviceOptions
        {
            Driver = "fake", CommandMinInterval = TimeSpan.FromSeconds(10), CommandReassertAfter = TimeSpan.FromMinutes(5),
        };
        var devices = new DeviceRegistry([Sessions.Of(_inverter, _time, options), Sessions.Of(meter, _time, options)]);
        _audit = new CommandAuditLog(NullLogger<CommandAuditLog>.Instance);
        _gate = new CommandGate(devices, _time, _audit);
    }

    private Task<CommandResult> Limit(double percent, bool safety = false, string device = "roof", string source = "Test") =>
        _gate.For(source).SendAsync(new SetActivePowerLimit(device, percent, "because") { IsSafety = safety }, CancellationToken.None);

    // Table: seconds after the previous step, requested %, safety?, expected status. Starts from nothing sent.
    private static readonly object[] Steps =
    [
        new object[] { new (double, double, bool, CommandStatus)[]
        {
            (0, 50, false, CommandStatus.Sent),
            (1, 50, false, CommandStatus.Unchanged),    // same value: not re-sent
            (1, 40, false, CommandStatus.RateLimited),  // new value, 2 s after the last send, min interval 10 s
            (1, 40, true, CommandStatus.Sent),          // a safety command skips the min interval
            (10, 40, false, CommandStatus.Unchanged),
            (0, 100, false, CommandStatus.Sent),        // 10 s later a new value goes through
            (301, 100, false, CommandStatus.Sent),      // unchanged, but re-asserted after 5 min
        }, new[] { 50.0, 40, 100, 100 } },
    ];

    [TestCaseSource(nameof(Steps))]
    public async Task Dedupes_rate_limits_and_reasserts((double Wait, double Percent, bool Safety, CommandStatus Expected)[] steps, double[] sent)
    {
        foreach (var (wait, percent, safety, expected) in steps)
        {
            _time.Advance(TimeSpan.FromSeconds(wait));
            var result = await Limit(percent, safety);
            Assert.That(result.Status, Is.EqualTo(expected), $"{percent} % after {wait} s");
        }
        Assert.That(_inverter.Limits, Is.EqualTo(sent));
        Assert.That(_audit.Recent(), Has.Count.EqualTo(steps.Length));
    }

    [Test]
    public async Task A_value_the_device_holds_is_reasserted_every_few_minutes_at_debug_and_a_change_at_information()
    {
        var log = new ListLogger<CommandAuditLog>();
        var gate = new CommandGate(new DeviceRegistry([Sessions.Of(_inverter, _time, new DeviceOptions
        {
            Driver = "fake", CommandMinInterval = TimeSpan.FromSeconds(10), CommandReassertAfter = TimeSpan.FromMinutes(5),
        })]), _time, new CommandAuditLog(log));
        Task<CommandResult> Send(double pct) => gate.For("Test").SendAsync(new SetActivePowerLimit("roof", pct, "because"), CancellationToken.None);

        var first = await Send(50);
        _time.Advance(TimeSpan.FromMinutes(6));
        var again = await Send(50);
        _time.Advance(TimeSpan.FromMinutes(1));
        var changed = await Send(60);

        Assert.That((first.Reasserted, again.Status, again.Reasserted, changed.Reasserted), Is.EqualTo((false, CommandStatus.Sent, true, false)));
        Assert.That(log.Lines.Select(l => l.Level), Is.EqualTo(new[] { LogLevel.Information, LogLevel.Debug, LogLevel.Information }));
        Assert.That(_inverter.Limits, Is.EqualTo(new[] { 50.0, 50, 60 }), "the reassertion is still written");
    }

    [Test]
    public async Task A_failed_command_is_reported_and_the_same_value_is_tried_again_after_the_interval()
    {
        _inverter.FailWith = new IOException("connection reset");
        var failed = await Limit(30);
        Assert.That(failed.Status, Is.EqualTo(CommandStatus.Failed));
        Assert.That(failed.Detail, Does.Contain("connection reset"));

        _inverter.FailWith = null;
        Assert.That((await Limit(30)).Status, Is.EqualTo(CommandStatus.RateLimited), "failures are rate-limited too");
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.That((await Limit(30)).Status, Is.EqualTo(CommandStatus.Sent), "after a failure the device's value is unknown");
        Assert.That(_inverter.Limits, Is.EqualTo(new[] { 30.0 }));
    }

    [Test]
    public async Task Unknown_devices_and_devices_without_the_contract_are_refused_without_calling_anything()
    {
        Assert.That((await Limit(10, device: "nope")).Status, Is.EqualTo(CommandStatus.UnknownDevice));
        var wrong = await Limit(10, device: "grid");
        Assert.That(wrong.Status, Is.EqualTo(CommandStatus.Unsupported));
        Assert.That(wrong.Detail, Does.Contain("does not have the ability IActivePowerLimiter"));
        Assert.That(_inverter.Limits, Is.Empty);
    }

    [Test]
    public async Task Every_attempt_is_audited_with_its_source_and_reason()
    {
        CommandAuditEntry? raised = null;
        _audit.Recorded += entry => raised = entry;
        await Limit(70);

        Assert.That(raised, Is.Not.Null);
        Assert.That(raised!.Request.Command, Is.EqualTo("ActivePowerLimitPct"));
        Assert.That(raised.Request.Source, Is.EqualTo("Test"));
        Assert.That(raised.Request.Reason, Is.EqualTo("because"));
        Assert.That(raised.Result.Status, Is.EqualTo(CommandStatus.Sent));
        Assert.That(raised.Timestamp, Is.EqualTo(Sessions.Start));
    }

    private CommandGate Owned(params (string Service, string Inverter)[] services)
    {
        var devices = new DeviceRegistry([Sessions.Of(_inverter, _time, new DeviceOptions { Driver = "fake", CommandMinInterval = TimeSpan.Zero })]);
        var configs = services.Select(s => new EnergyHub.Core.Config.ServiceConfig(s.Service,
            new EnergyHub.Core.Plugins.ServiceRegistration(s.Service, typeof(LimitingOptions), "test", (_, _) => throw new NotImplementedException()),
            new LimitingOptions { Inverter = s.Inverter }));
        return new CommandGate(devices, _time, _audit, new CommandOwners(configs));
    }

    private sealed class LimitingOptions : ServiceOptions
    {
        [DeviceRef(typeof(EnergyHub.Devices.IInverter), Commands = [typeof(SetActivePowerLimit)])]
        public string Inverter { get; init; } = "";
    }

    [Test]
    public async Task The_gate_stamps_the_calling_service_and_refuses_a_command_it_does_not_own()
    {
        var gate = Owned(("Guard", "roof"), ("Logger", "elsewhere"));

        var owned = await gate.For("Guard").SendAsync(new SetActivePowerLimit("roof", 40, "limiting"), CancellationToken.None);
        var foreign = await gate.For("Logger").SendAsync(new SetActivePowerLimit("roof", 0, "mischief"), CancellationToken.None);
        var operatorVerb = await gate.For("safe-state").SendAsync(new SetActivePowerLimit("roof", 100, "by hand"), CancellationToken.None);

        Assert.That(owned.Status, Is.EqualTo(CommandStatus.Sent));
        Assert.That(foreign.Status, Is.EqualTo(CommandStatus.NotOwner));
        Assert.That(foreign.Detail, Does.Contain("Logger does not own SetActivePowerLimit on 'roof' (owned by Guard)"));
        Assert.That(operatorVerb.Status, Is.EqualTo(CommandStatus.Sent), "operator verbs are not services and are not bound by ownership");
        Assert.That(_inverter.Limits, Is.EqualTo(new[] { 40.0, 100 }));
        Assert.That(_audit.Recent().Select(e => (e.Request.Source, e.Result.Status)),
            Is.EqualTo(new[] { ("Guard", CommandStatus.Sent), ("Logger", CommandStatus.NotOwner), ("safe-state", CommandStatus.Sent) }), "the refusal is audited too");
    }

    [Test]
    public async Task A_cap_two_services_own_goes_to_the_device_as_the_lowest_latest_ask()
    {
        var gate = Owned(("Guard", "roof"), ("Curtailer", "roof"));

        await gate.For("Guard").SendAsync(new SetActivePowerLimit("roof", 60, "limiting"), CancellationToken.None);
        var lower = await gate.For("Curtailer").SendAsync(new SetActivePowerLimit("roof", 30, "grid operator cap"), CancellationToken.None);
        var higher = await gate.For("Guard").SendAsync(new SetActivePowerLimit("roof", 80, "less limiting"), CancellationToken.None);
        var lifted = await gate.For("Curtailer").SendAsync(new SetActivePowerLimit("roof", 100, "cap lifted"), CancellationToken.None);

        Assert.That(_inverter.Limits, Is.EqualTo(new[] { 60.0, 30, 80 }), "60, then the lower 30, the Guard's 80 held at 30, then 80 once the cap is lifted");
        Assert.That(lower.Status, Is.EqualTo(CommandStatus.Sent));
        Assert.That(higher.Status, Is.EqualTo(CommandStatus.Unchanged));
        Assert.That(higher.Detail, Does.Contain("30 sent: Curtailer asks for less"));
        Assert.That(lifted.Detail, Does.Contain("80 sent: Guard asks for less"));
    }

    [Test]
    public async Task A_device_that_says_it_cannot_is_unsupported_and_not_asked_again()
    {
        _inverter.FailWith = new NotSupportedException("this model has no limit register");
        var first = await Limit(30);
        _time.Advance(TimeSpan.FromMinutes(1));
        var second = await Limit(20);

        Assert.That(first.Status, Is.EqualTo(CommandStatus.Unsupported));
        Assert.That(first.Detail, Does.Contain("no limit register"));
        Assert.That(second.Status, Is.EqualTo(CommandStatus.Unsupported));
        Assert.That(second.Detail, Does.Contain("not asked again"));
        Assert.That(_inverter.Attempts, Is.EqualTo(1));
    }

    [Test]
    public async Task A_new_power_in_the_same_battery_mode_is_sent_and_the_same_set_point_is_not()
    {
        var battery = new FakeControlledBattery("battery");
        var gate = new CommandGate(new DeviceRegistry([Sessions.Of(battery, _time, new DeviceOptions { Driver = "fake", CommandMinInterval = TimeSpan.Zero })]), _time, _audit);
        Task<CommandResult> Mode(double watts) => gate.For("Test").SendAsync(new SetBatteryMode("battery", global::EnergyHub.Devices.BatteryMode.ChargeFromGrid, watts, 80, "cheap"), CancellationToken.None);

        var first = await Mode(3000);
        var same = await Mode(3000);
        var lower = await Mode(1000);

        Assert.That((first.Status, same.Status, lower.Status), Is.EqualTo((CommandStatus.Sent, CommandStatus.Unchanged, CommandStatus.Sent)));
        Assert.That(battery.Powers, Is.EqualTo(new double?[] { 3000, 1000 }));
    }

    [Test]
    public async Task A_battery_mode_the_battery_lacks_is_refused_unsent_and_its_other_modes_still_go_through()
    {
        var battery = new FakeControlledBattery("battery") { Modes = new HashSet<global::EnergyHub.Devices.BatteryMode> { global::EnergyHub.Devices.BatteryMode.Auto } };
        var gate = new CommandGate(new DeviceRegistry([Sessions.Of(battery, _time, new DeviceOptions { Driver = "fake", CommandMinInterval = TimeSpan.Zero })]), _time, _audit);
        Task<CommandResult> Mode(global::EnergyHub.Devices.BatteryMode mode) => gate.For("Test").SendAsync(new SetBatteryMode("battery", mode, 3000, null, "why"), CancellationToken.None);

        var discharge = await Mode(global::EnergyHub.Devices.BatteryMode.Discharge);
        var auto = await Mode(global::EnergyHub.Devices.BatteryMode.Auto);

        Assert.That(discharge.Status, Is.EqualTo(CommandStatus.Unsupported));
        Assert.That(discharge.Detail, Does.Contain("takes only Auto, not Discharge"));
        Assert.That(auto.Status, Is.EqualTo(CommandStatus.Sent), "one mode it lacks does not make the battery's other modes unsupported");
        Assert.That(battery.Powers, Has.Count.EqualTo(1));
    }

    private sealed class FakeControlledBattery(string id) : global::EnergyHub.Devices.IBatteryControl, global::EnergyHub.Devices.IDevice
    {
        public IReadOnlySet<global::EnergyHub.Devices.BatteryMode> Modes { get; init; } = global::EnergyHub.Devices.AllBatteryModes.Set;
        public List<double?> Powers { get; } = [];
        public string Id => id;
        public string DisplayName => "Fake battery";

        public ValueTask<Readings.DeviceReading> ReadAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult(new Readings.DeviceReading { Timestamp = DateTimeOffset.UnixEpoch });

        public Task SetBatteryModeAsync(global::EnergyHub.Devices.BatteryMode mode, double? powerW, double? targetSocPct, CancellationToken cancellationToken)
        {
            Powers.Add(powerW);
            return Task.CompletedTask;
        }
    }
}
