using EnergyHub.Services.BatteryScheduler;

namespace EnergyHub.Services.Tests;

/// <summary>The GoodWe coordinator's live tiers (seed §4.4), boundary by boundary, and the defects it no longer has.</summary>
public sealed class CoordinatorRulesTests
{
    private static readonly DateTimeOffset Morning = new(2026, 3, 10, 9, 0, 0, TimeSpan.FromHours(1));

    // Hourly prices from `at` on: the given ones, then `rest` to the end of tomorrow.
    private static PricePoint[] Prices(DateTimeOffset at, double rest, params double[] first) =>
        [.. Enumerable.Range(0, 39 - at.Hour).Select(h => new PricePoint(at.AddHours(h), h < first.Length ? first[h] : rest))];

    private static RulesDecision Decide(double soc, PricePoint[] prices, DateTimeOffset? at = null, PricePoint[]? history = null, CoordinatorRules? rules = null,
        double? t2 = null) =>
        (rules ?? new CoordinatorRules(new RulesSettings())).Decide(new RulesInputs(at ?? Morning, soc, prices, history ?? [], t2));

    [TestCase(4.9, true, "D emergency", TestName = "4.9 %: emergency, charging whatever the price")]
    [TestCase(5.0, false, "E critical", TestName = "5 %: the critical tier (a dear hour with a far cheaper one ahead waits)")]
    public void The_emergency_tier_ends_at_5_percent(double soc, bool charge, string tier)
    {
        var decision = Decide(soc, Prices(Morning, 2.0, 2.0, 2.0, 0.5));
        Assert.That((decision.Charge, decision.Tier), Is.EqualTo((charge, tier)), decision.Why);
    }

    [TestCase(11.9, "E critical", TestName = "11.9 %: critical")]
    [TestCase(12.0, "F opportunistic", TestName = "12 %: opportunistic")]
    [TestCase(49.9, "F opportunistic", TestName = "49.9 %: opportunistic")]
    [TestCase(50.0, "G", TestName = "50 %: normal")]
    public void The_tiers_change_at_12_and_50_percent(double soc, string tier) =>
        Assert.That(Decide(soc, Prices(Morning, 0.6, 0.9)).Tier, Does.StartWith(tier));

    [Test]
    public void Critical_charges_at_a_price_at_or_below_the_critical_one_unless_a_30_percent_drop_comes_within_2_hours()
    {
        Assert.That(Decide(11, Prices(Morning, 1.0, 1.0, 1.0)).Charge, Is.True, "1.0 is below the critical 1.20: charge");
        Assert.That(Decide(11, Prices(Morning, 1.0, 1.0, 0.69)).Charge, Is.False, "above 0.8 with 31 % less within 2 h: wait");
        Assert.That(Decide(9, Prices(Morning, 1.0, 1.0, 0.69)).Charge, Is.True, "below 10 % it does not wait for the drop");
    }

    [Test]
    public void Critical_at_exactly_10_percent_waits_out_a_price_at_or_above_the_high_one()
    {
        Assert.That(Decide(10, Prices(Morning, 1.0, 1.10)).Charge, Is.False);
        Assert.That(Decide(10, Prices(Morning, 1.0, 1.09)).Charge, Is.True, "1.09 is below high and critical: charge");
    }

    [Test]
    public void Critical_above_the_critical_price_waits_for_a_much_cheaper_hour_within_its_wait_but_not_for_one_too_far()
    {
        var evening = Morning.AddHours(9); // 18:00, no PV to wait for
        Assert.That(Decide(11, Prices(evening, 2.0, 2.0, 2.0, 0.5), evening).Charge, Is.False, "75 % less in 2 h: wait");
        Assert.That(Decide(11, Prices(evening, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 1.3), evening).Charge, Is.True,
            "35 % less only in 13 h: beyond the wait, charge");
    }

    [Test]
    public void Critical_looks_past_midnight_when_tomorrow_is_published()
    {
        var late = new DateTimeOffset(2026, 3, 10, 22, 0, 0, TimeSpan.FromHours(1));
        Assert.That(Decide(11, Prices(late, 2.0, 2.0, 2.0, 0.3), late).Charge, Is.False, "00:00 tomorrow at 0.3 is worth waiting for (the seed stopped at midnight)");
    }

    [Test]
    public void Opportunistic_charges_within_15_percent_of_the_cheapest_of_12_hours_and_25_percent_in_t2()
    {
        Assert.That(Decide(30, Prices(Morning, 0.6, 0.69, 0.6)).Charge, Is.True, "0.69 ≤ 0.6 × 1.15");
        Assert.That(Decide(30, Prices(Morning, 0.6, 0.70, 0.6)).Charge, Is.False, "0.70 > 0.69");
        Assert.That(Decide(30, Prices(Morning, 0.6, 0.74, 0.6), t2: 6).Charge, Is.True, "in T2: 0.74 ≤ 0.6 × 1.25");
    }

    [Test]
    public void T2_charges_when_the_window_left_is_just_enough_to_reach_85_percent()
    {
        // 10 kWh from 30 to 85 %: 5.5 kWh at 3 kW = 1.83 h, + 0.5 h = 2.33 h.
        Assert.That(Decide(30, Prices(Morning, 0.6, 0.9, 0.6), t2: 2.3).Tier, Is.EqualTo("F T2 deadline"));
        Assert.That(Decide(30, Prices(Morning, 0.6, 0.9, 0.6), t2: 2.4).Tier, Is.EqualTo("F opportunistic"));
    }

    [Test]
    public void Pre_peak_charges_before_16_when_17_to_22_is_10_percent_dearer()
    {
        var prices = Prices(Morning, 0.8, 0.85, 0.6).Select(p => p.Start.Hour is >= 17 and <= 22 ? p with { PerKwh = 0.95 } : p).ToArray();
        Assert.That(Decide(30, prices).Tier, Is.EqualTo("F pre-peak"), "0.85 now, 0.95 in the evening (> 0.935)");
        Assert.That(Decide(19, prices).Tier, Is.EqualTo("F opportunistic"), "below 20 % the pre-peak rule does not apply");
    }

    [Test]
    public void Normal_starts_a_session_at_p40_or_at_p60_below_85_percent_and_charges_to_95_without_stopping_at_90()
    {
        var history = Enumerable.Range(0, 24).Select(h => new PricePoint(Morning.AddHours(h - 24), 0.5 + h * 0.02)).ToArray(); // p40 0.684, p60 0.776
        var rules = new CoordinatorRules(new RulesSettings());
        var start = Decide(60, Prices(Morning, 0.7, 0.75), history: history, rules: rules);
        Assert.That((start.Charge, start.TargetSocPct, start.Tier), Is.EqualTo((true, 95.0, "G session")), start.Why);
        Assert.That(Decide(86, Prices(Morning, 0.7, 0.75), history: history).Charge, Is.False, "at or above 85 % no session starts");
        Assert.That(Decide(84, Prices(Morning, 0.7, 0.78), history: history).Charge, Is.False, "0.78 is above p60");

        var at90 = rules.Decide(new RulesInputs(Morning.AddMinutes(30), 91, Prices(Morning, 0.7, 0.75), history));
        var at95 = rules.Decide(new RulesInputs(Morning.AddMinutes(60), 95, Prices(Morning, 0.7, 0.75), history));
        var after = rules.Decide(new RulesInputs(Morning.AddMinutes(90), 90, Prices(Morning, 0.7, 0.75), history));
        Assert.That((at90.Charge, at95.Charge), Is.EqualTo((true, false)), "on past 90 % to the session's 95 %, then stop (no 90↔95 cycling)");
        Assert.That((after.Charge, after.Why), Is.EqualTo((false, "90 % is less than 10 % below the last full charge (95 %): waiting")));
    }

    [Test]
    public void Normal_allows_only_so_many_sessions_a_day()
    {
        var rules = new CoordinatorRules(new RulesSettings { MaxSessionsPerDay = 1, MinDischargeDepthPct = 0 });
        var cheap = Prices(Morning, 0.5, 0.5);
        Assert.That(rules.Decide(new RulesInputs(Morning, 60, cheap, [])).Charge, Is.True);
        Assert.That(rules.Decide(new RulesInputs(Morning.AddHours(1), 95, cheap, [])).Charge, Is.False);
        Assert.That(rules.Decide(new RulesInputs(Morning.AddHours(2), 60, cheap, [])).Why, Is.EqualTo("1 sessions today already: waiting"));
        Assert.That(rules.Decide(new RulesInputs(Morning.AddDays(1), 60, Prices(Morning.AddDays(1), 0.5, 0.5), [])).Charge, Is.True, "a new day, new sessions");
    }

    [Test]
    public void A_charge_stands_15_minutes_and_a_stop_too_and_a_price_spike_stops_it()
    {
        var rules = new CoordinatorRules(new RulesSettings());
        Assert.That(rules.Decide(new RulesInputs(Morning, 30, Prices(Morning, 0.6, 0.6), [])).Charge, Is.True);
        Assert.That(rules.Decide(new RulesInputs(Morning.AddMinutes(10), 32, Prices(Morning, 2.0, 2.0), [])).Tier, Is.EqualTo("A1"));
        Assert.That(rules.Decide(new RulesInputs(Morning.AddMinutes(20), 33, Prices(Morning.AddMinutes(20), 2.0, 2.0), [])).Tier, Is.EqualTo("A3"));
        Assert.That(rules.Decide(new RulesInputs(Morning.AddMinutes(30), 33, Prices(Morning.AddMinutes(30), 0.6, 0.6), [])).Tier, Is.EqualTo("B"));
    }

    [TestCase(new[] { 1.0, 2.0, 3.0, 4.0 }, 40, 2.2)]
    [TestCase(new[] { 1.0, 2.0, 3.0, 4.0 }, 60, 2.8)]
    [TestCase(new[] { 5.0 }, 40, 5.0)]
    [TestCase(new[] { 3.0, 1.0, 2.0 }, 50, 2.0)]
    [TestCase(new[] { 0.0, 10.0 }, 100, 10.0)]
    public void Percentiles_match_numpy_s_linear_default(double[] values, double p, double expected) =>
        Assert.That(Percentile.Of(values, p), Is.EqualTo(expected).Within(1e-12));
}
