using EnergyHub.Devices;
using EnergyHub.Readings;
using EnergyHub.Site;

namespace EnergyHub.Abstractions.Tests;

public sealed class SiteBalanceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static DeviceState State(string id, DeviceReading reading, DeviceFacts facts) =>
        new(id, "test", id, reading, DeviceHealth.Online, TimeSpan.Zero, 0, null) { Facts = facts };

    private static DeviceFacts Plays(params Type[] roles) => new(roles.ToHashSet(), true);

    // A hybrid inverter that meters the grid itself, and a battery system with its own grid meter: one grid, counted once.
    private static SiteSnapshot TwoGridMeters() => new(T0, new Dictionary<string, DeviceState>
    {
        ["roof"] = State("roof", new DeviceReading { Timestamp = T0, Inverter = new InverterReading(3100, 3000), Meter = new MeterReading(-480) },
            Plays(typeof(IInverter), typeof(IMeter)) with { MeterRole = MeterRole.Grid, RatedPowerW = 5000 }),
        ["battery"] = State("battery", new DeviceReading { Timestamp = T0, Meter = new MeterReading(-500), Battery = new BatteryReading(40, 1200) },
            Plays(typeof(IBattery), typeof(IMeter)) with { MeterRole = MeterRole.Grid, Battery = new BatteryFacts(10_000, null, null, null, null, null) }),
        ["shed"] = State("shed", new DeviceReading { Timestamp = T0, Battery = new BatteryReading(80, 300) },
            Plays(typeof(IBattery)) with { Battery = new BatteryFacts(5_000, null, null, null, null, null) }),
    });

    [TestCase(50.0, 2500.0, 10_000.0, 2.0, BatteryGoal.Full, TestName = "Charging 2.5 kW at 50 % of 10 kWh: full in 2 h")]
    [TestCase(50.0, -1000.0, 10_000.0, 4.0, BatteryGoal.Reserve, TestName = "Discharging 1 kW at 50 % to its 10 % reserve: 4 h")]
    [TestCase(50.0, 5.0, 10_000.0, null, null, TestName = "Idle (under 10 W): no time to go")]
    [TestCase(50.0, 2500.0, null, null, null, TestName = "A capacity not known: no time to go")]
    public void The_batteries_time_to_full_or_to_the_reserve(double socPct, double powerW, double? capacityWh, double? hours, BatteryGoal? goal)
    {
        var site = new SiteSnapshot(T0, new Dictionary<string, DeviceState>
        {
            ["battery"] = State("battery", new DeviceReading { Timestamp = T0, Battery = new BatteryReading(socPct, powerW) },
                Plays(typeof(IBattery)) with { Battery = new BatteryFacts(capacityWh, null, null, null, 10, 100) }),
        });

        var timeToGo = site.Balance.BatteryTimeToGo;

        Assert.That(timeToGo?.Time.TotalHours, Is.EqualTo(hours).Within(1e-9));
        Assert.That(timeToGo?.Goal, Is.EqualTo(goal));
    }

    [Test]
    public void Two_batteries_go_together_at_their_summed_power()
    {
        // 40 % of 10 kWh and 80 % of 5 kWh charging 1500 W together: 6 + 1 kWh of room, 4 h 40 min.
        Assert.That(TwoGridMeters().Balance.BatteryTimeToGo, Is.EqualTo(new BatteryTimeToGo(TimeSpan.FromHours(7.0 / 1.5), BatteryGoal.Full)));
    }

    [TestCase(null, 0.0, TestName = "An inverter that does not report curtailment holds nothing back that anyone can count on")]
    [TestCase(1000.0, 1000.0, TestName = "1000 W curtailed by a limit is 1000 W the site could use")]
    [TestCase(4000.0, 2000.0, TestName = "PV beyond the rating is lost anyway: 5000 W rated less 3000 W produced")]
    public void Pv_held_back_by_a_limit_is_headroom_up_to_the_inverters_rating(double? curtailedW, double headroomW)
    {
        var balance = new SiteSnapshot(T0, new Dictionary<string, DeviceState>
        {
            ["roof"] = State("roof", new DeviceReading { Timestamp = T0, Inverter = new InverterReading(3000, 3000) { CurtailedPowerW = curtailedW } },
                Plays(typeof(IInverter)) with { RatedPowerW = 5000 }),
            ["grid"] = State("grid", new DeviceReading { Timestamp = T0, Meter = new MeterReading(-200) }, Plays(typeof(IMeter)) with { MeterRole = MeterRole.Grid }),
        }).Balance;

        Assert.That((balance.PvHeadroomW, balance.PvAvailableW, balance.SurplusW), Is.EqualTo((headroomW, 3000 + headroomW, 200 + headroomW)));
    }

    [Test]
    public void Two_devices_metering_the_grid_count_once_from_the_first_or_the_configured_one()
    {
        var first = TwoGridMeters().Balance;
        var configured = (TwoGridMeters() with { GridMeter = "battery" }).Balance;

        Assert.That((first.GridW, first.GridMeter), Is.EqualTo(((double?)-480, "roof")));
        Assert.That((configured.GridW, configured.GridMeter), Is.EqualTo(((double?)-500, "battery")));
    }

    [Test]
    public void A_hybrid_inverter_counts_its_pv_input_since_its_ac_output_includes_its_own_battery()
    {
        // A GoodWe ET: 4000 W of PV, 1500 W into its battery, 2500 W AC out; the house takes 2000 W and 500 W is exported.
        var hybrid = new SiteSnapshot(T0, new Dictionary<string, DeviceState>
        {
            ["et"] = State("et", new DeviceReading
                {
                    Timestamp = T0, Inverter = new InverterReading(4000, 2500), Meter = new MeterReading(-500), Battery = new BatteryReading(50, 1500),
                },
                Plays(typeof(IInverter), typeof(IMeter), typeof(IBattery)) with { MeterRole = MeterRole.Grid, Battery = new BatteryFacts(10_000, null, null, null, null, null) }),
        }).Balance;

        Assert.That((hybrid.PvW, hybrid.BatteryW, hybrid.GridW, hybrid.LoadW), Is.EqualTo(((double?)4000, (double?)1500, (double?)-500, (double?)2000)));
    }

    [Test]
    public void Pv_and_batteries_add_up_and_load_is_the_balance_when_nobody_measures_it()
    {
        var balance = TwoGridMeters().Balance;

        Assert.That(balance.PvW, Is.EqualTo(3000));
        Assert.That(balance.BatteryW, Is.EqualTo(1500));
        Assert.That(balance.LoadW, Is.EqualTo(3000 - 480 - 1500));
        Assert.That(balance.SocPct, Is.EqualTo((40 * 10_000 + 80 * 5_000) / 15_000.0).Within(1e-9), "weighted by capacity");
    }

    [Test]
    public void A_measured_load_wins_over_the_balance_and_a_device_without_the_role_is_not_counted()
    {
        var site = TwoGridMeters();
        var devices = site.Devices.ToDictionary();
        devices["battery"] = devices["battery"] with { Reading = devices["battery"].Reading! with { Load = new MeterReading(777) } };
        // A DT found to have no meter block still carries an old Meter part: not a grid meter any more.
        devices["roof"] = devices["roof"] with { Facts = Plays(typeof(IInverter)) };

        var balance = (site with { Devices = devices }).Balance;

        Assert.That(balance.LoadW, Is.EqualTo(777));
        Assert.That((balance.GridW, balance.GridMeter), Is.EqualTo(((double?)-500, "battery")));
    }

    [Test]
    public void A_sub_circuit_meter_is_not_taken_for_the_house_load()
    {
        var devices = TwoGridMeters().Devices.ToDictionary();
        devices["heater"] = State("heater", new DeviceReading { Timestamp = T0, Meter = new MeterReading(2000) }, Plays(typeof(IMeter), typeof(ISwitch)) with { MeterRole = MeterRole.Load });
        var balance = (TwoGridMeters() with { Devices = devices }).Balance;
        Assert.That(balance.LoadW, Is.EqualTo(3000 - 480 - 1500), "the heater's 2000 W are part of the house, not all of it");
    }
}
