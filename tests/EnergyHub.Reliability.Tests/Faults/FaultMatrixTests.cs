using EnergyHub.Site;
using EnergyHub.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Reliability.Tests.Faults;

/// <summary>
/// The fault matrix of docs/reliability.md: every fault on every link of the export guard's site, through the live
/// scheduler. Each asserts the declared safe outcome within two ticks of the fault being visible, one log line per
/// fault (no line repeated per retry), recovery once the fault clears, and nothing lost from the journal.
/// </summary>
[NonParallelizable]
public sealed class FaultMatrixTests
{
    private static readonly LinkFault[] ModbusFaults =
        [LinkFault.Hang, LinkFault.Reset, LinkFault.Refuse, LinkFault.Garbage, LinkFault.Truncate, LinkFault.WrongTransactionId];

    private static readonly LinkFault[] HttpFaults =
        [LinkFault.Hang, LinkFault.Reset, LinkFault.Refuse, LinkFault.Truncate, LinkFault.Http500, LinkFault.Http429, LinkFault.Html];

    private static IEnumerable<TestCaseData> InverterFaults() => ModbusFaults.Select(f => new TestCaseData(f).SetName($"goodwe inverter: {f}"));
    private static IEnumerable<TestCaseData> TelemetryFaults() => HttpFaults.Select(f => new TestCaseData(f).SetName($"alphaess battery and meter: {f}"));
    private static IEnumerable<TestCaseData> PriceFaults() => HttpFaults.Select(f => new TestCaseData(f).SetName($"amber prices: {f}"));

    [TestCaseSource(nameof(TelemetryFaults))]
    public async Task Telemetry_lost_curtails_to_zero_at_the_first_tick_that_sees_it_stale(LinkFault fault)
    {
        await using var site = await FaultSite.Start();
        var (settled, _) = await site.Settled(0);
        var logMark = site.Logs.Count;

        site.Links["battery"].Fault = fault;
        var (staleAt, failSafe) = await site.Decision(settled, d => d.Decision == "telemetry_stale", 20, "fail-safe");
        var firstStale = site.DecisionsSince(settled).ToList().FindIndex(d => FaultSite.Text(d, "telemetryOffline") == "True"
            || FaultSite.Number(d, "telemetryAgeSeconds") is null or > 30) + settled;
        var (zeroAt, _) = await site.Decision(staleAt, d => FaultSite.Number(d, "limitReadBackPct") == 0, 3, "the inverter holds 0 %");
        var faultLines = site.Logs.Since(logMark);

        site.Links["battery"].Fault = LinkFault.None;
        await site.Settled(zeroAt, ticks: 20);

        Assert.Multiple(() =>
        {
            Assert.That(staleAt - firstStale, Is.LessThanOrEqualTo(1), "the tick that sees stale telemetry curtails");
            Assert.That(FaultSite.Number(failSafe, "writePct"), Is.Zero.Or.Null, "0 % is written (or already held)");
            AssertOneLinePerFault(faultLines);
            AssertJournalComplete(site);
        });
    }

    [TestCaseSource(nameof(InverterFaults))]
    public async Task An_unreachable_inverter_is_one_warning_and_its_limit_is_restored_once_it_answers(LinkFault fault)
    {
        await using var site = await FaultSite.Start();
        var (settled, _) = await site.Settled(0);
        var logMark = site.Logs.Count;

        site.Links["roof"].Fault = fault;
        await site.Decision(settled, _ => site.DeviceHealthOf("roof") == DeviceHealth.Offline, 20, "the inverter is seen offline");
        var during = site.DecisionCount;
        await site.Decision(during, _ => true, 4, "the guard keeps ticking");
        var faultLines = site.Logs.Since(logMark);
        var failedWrites = site.DecisionsSince(settled).Where(d => FaultSite.Text(d, "writeResult") == "Failed").ToList();

        site.Links["roof"].Fault = LinkFault.None;
        var (recovered, _) = await site.Settled(during, ticks: 20);

        Assert.Multiple(() =>
        {
            Assert.That(failedWrites.Select(d => FaultSite.Number(d, "integralW")).Distinct().Count(), Is.LessThanOrEqualTo(1),
                "the integral is frozen while writes fail: " + FaultSite.Describe(failedWrites));
            AssertOneLinePerFault(faultLines);
            AssertJournalComplete(site);
        });
    }

    [TestCaseSource(nameof(PriceFaults))]
    public async Task Lost_prices_keep_the_limit_on_cached_prices_then_on_stale_prices(LinkFault fault)
    {
        await using var site = await FaultSite.Start();
        var (settled, _) = await site.Settled(0);
        var logMark = site.Logs.Count;

        site.Links["prices"].Fault = fault;
        var (staleAt, _) = await site.Decision(settled, d => d.Decision == "prices_stale", 20, "prices turn stale");
        var duringFault = site.DecisionsSince(settled).Take(staleAt - settled + 1).ToList();
        var faultLines = site.Logs.Since(logMark);

        site.Links["prices"].Fault = LinkFault.None;
        await site.Settled(staleAt, ticks: 20);

        Assert.Multiple(() =>
        {
            Assert.That(duringFault.All(d => d.Decision != "export_allowed" && FaultSite.Number(d, "limitPct") < 100), Is.True,
                "never export while prices are unknown: " + FaultSite.Describe(duringFault));
            Assert.That(duringFault.Count(d => FaultSite.Number(d, "priceAgeSeconds") > FaultSite.PricesStaleAfter.TotalSeconds && d.Decision != "prices_stale"), Is.Zero,
                "no tick acts on prices older than PricesStaleAfter as if they were current");
            AssertOneLinePerFault(faultLines);
            AssertJournalComplete(site);
        });
    }

    [Test]
    public async Task An_inverter_reset_behind_the_guards_back_is_written_again_at_the_next_tick_that_sees_it()
    {
        await using var site = await FaultSite.Start();
        var (settled, held) = await site.Settled(0);
        var logMark = site.Logs.Count;

        // As after a grid blip: the inverter comes back with its limit at 100 %, written by no one EnergyHub knows. The
        // guard may write its own limit just after; the reset is repeated until a read shows it.
        await using var transport = new EnergyHub.Protocols.Modbus.ModbusTcpTransport("127.0.0.1", site.Links["roof"].UpstreamPort);
        var modbus = new EnergyHub.Protocols.Modbus.ModbusClient(transport);
        var seenAt = -1;
        for (var attempt = 0; attempt < 10 && seenAt < 0; attempt++)
        {
            // Only a tick after this reset that wants a limit counts: the guard may lift the limit to 100 % itself at
            // times (the battery absorbing the surplus), and reading back its own 100 % is no reset.
            var before = site.DecisionCount;
            await modbus.WriteSingleRegisterAsync(247, 256, 100, CancellationToken.None);
            var (next, _) = await site.Decision(site.DecisionCount, _ => true, 1, "a tick");
            var (index, _) = await site.Decision(next, _ => true, 1, "another tick");
            // It sees the reset in a read taken after its own last confirmed write; an older read showing 100 % was
            // overwritten by that write already (seen once under load in a clean-clone CI run).
            seenAt = site.DecisionsSince(before).ToList().FindIndex(d => FaultSite.Number(d, "limitReadBackPct") == 100 && FaultSite.Number(d, "limitPct") < 100
                && FaultSite.Text(d, "readBackAfterWrite") == "True") is var found and >= 0
                ? found + before : -1;
        }
        Assert.That(seenAt, Is.GreaterThanOrEqualTo(0), "the guard never saw the reset: " + FaultSite.Describe(site.DecisionsSince(settled)));
        var seen = site.DecisionsSince(seenAt)[0];
        var (backAt, _) = await site.Decision(seenAt + 1, d => FaultSite.Number(d, "limitReadBackPct") < 100, 3, "the limit is in force again");

        Assert.Multiple(() =>
        {
            Assert.That(FaultSite.Number(seen, "writePct"), Is.LessThan(100), "the tick that sees it writes the wanted limit again");
            Assert.That(FaultSite.Text(seen, "writeResult"), Is.EqualTo("Sent"), "past the gate's dedupe");
            Assert.That(site.Logs.Since(logMark).Count(l => l.Text.Contains("reads back 100 % though", StringComparison.Ordinal)), Is.EqualTo(1));
            AssertOneLinePerFault(site.Logs.Since(logMark));
        });
    }

    [Test]
    public async Task A_stop_whose_safe_state_the_hung_inverter_never_confirms_is_reported_as_failed()
    {
        await using var site = await FaultSite.Start();
        await site.Settled(0);

        site.Links["roof"].Fault = LinkFault.Hang;
        var confirmed = await site.StopAsync(TimeSpan.FromSeconds(5));

        Assert.That(confirmed, Is.False);
        Assert.That(site.Logs.Since(0, LogLevel.Error).Select(l => l.Text), Has.Some.Contains("ExportGuard did NOT restore its safe state"));
        Assert.That(site.Logs.Since(0, LogLevel.Information).Select(l => l.Text), Has.None.Contains("ExportGuard restored its safe state"));
    }

    [Test]
    public async Task A_stop_retries_the_safe_state_until_the_inverter_answers_again()
    {
        await using var site = await FaultSite.Start();
        await site.Settled(0);

        site.Links["roof"].Fault = LinkFault.Refuse;
        var stopping = site.StopAsync(TimeSpan.FromSeconds(20));
        await Eventually.Until(() => site.Logs.Since(0).Any(l => l.Text.Contains("ExportGuard could not restore its safe state", StringComparison.Ordinal)), "the fault's effect shows", TimeSpan.FromSeconds(20));
        site.Links["roof"].Fault = LinkFault.None;

        Assert.That(await stopping, Is.True);
        Assert.That(site.Logs.Since(0, LogLevel.Information).Select(l => l.Text), Has.Some.Match(@"ExportGuard restored its safe state \(attempt \d+\)"));
    }

    [Test]
    public async Task A_clock_jump_never_lets_old_readings_pass_for_fresh_ones_and_the_site_recovers()
    {
        await using var site = await FaultSite.Start();
        var (settled, _) = await site.Settled(0);

        site.Clock.Jump(TimeSpan.FromMinutes(10));
        var (recovered, _) = await site.Settled(settled + 1, ticks: 30);
        var after = site.DecisionsSince(settled + 1).Take(recovered - settled).ToList();

        Assert.That(after.Count(d => FaultSite.Number(d, "telemetryAgeSeconds") > FaultSite.StaleAfter.TotalSeconds && d.Decision != "telemetry_stale"), Is.Zero,
            "readings 10 minutes old are never taken for fresh ones: " + FaultSite.Describe(after));
        AssertJournalComplete(site);
    }

    [Test]
    public async Task A_full_disk_under_the_journal_does_not_stop_control_and_is_one_line_each_way()
    {
        await using var site = await FaultSite.Start();
        var (settled, _) = await site.Settled(0);
        var logMark = site.Logs.Count;

        Sql(site, "CREATE TRIGGER disk_full BEFORE INSERT ON readings BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;");
        await site.Decision(settled, _ => site.Journal.Failing, 20, "the journal fails");
        var (later, _) = await site.Decision(site.DecisionCount, _ => true, 20, "control goes on");
        await site.Decision(later, _ => true, 5, "and on");
        var faultLines = site.Logs.Since(logMark);
        Sql(site, "DROP TRIGGER disk_full;");
        await site.Decision(site.DecisionCount, _ => !site.Journal.Failing, 20, "the journal writes again");

        Assert.That(faultLines.Count(l => l.Text.StartsWith("Journal writes fail", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(site.Logs.Since(logMark, LogLevel.Information).Count(l => l.Text.StartsWith("Journal writes again", StringComparison.Ordinal)), Is.EqualTo(1));
        AssertOneLinePerFault(faultLines);
        AssertJournalComplete(site);
    }

    [Test]
    public async Task A_journal_locked_by_another_program_is_waited_out_and_nothing_is_lost()
    {
        await using var site = await FaultSite.Start();
        var (settled, _) = await site.Settled(0);
        var logMark = site.Logs.Count;

        using (var locker = new SqliteConnection($"Data Source={site.Journal.Location};Pooling=False"))
        {
            locker.Open();
            using var exclusive = locker.BeginTransaction(System.Data.IsolationLevel.Serializable);
            using (var write = locker.CreateCommand())
            {
                write.Transaction = exclusive;
                write.CommandText = "INSERT INTO health (ts, device, health, error) VALUES (0, 'test', 'locked', NULL)";
                write.ExecuteNonQuery();
            }
            await site.Decision(settled, _ => site.Journal.Failing, 60, "the journal is busy");
            await site.Decision(site.DecisionCount, _ => true, 5, "control goes on while it is");
            exclusive.Rollback();
        }
        await site.Decision(site.DecisionCount, _ => !site.Journal.Failing && site.Journal.QueueDepth < 1000, 40, "the journal catches up");

        AssertOneLinePerFault(site.Logs.Since(logMark));
        AssertJournalComplete(site);
    }

    private static void Sql(FaultSite site, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={site.Journal.Location};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    // One line per fault: warnings may name the fault and the state it leads to, but no line comes back per retry.
    private static void AssertOneLinePerFault(IReadOnlyList<(string Category, LogLevel Level, string Text)> lines)
    {
        var texts = lines.Select(l => $"{l.Category}: {l.Text}").ToList();
        Assert.That(texts, Is.Unique, "a line repeated per retry:\n" + string.Join("\n", texts));
        Assert.That(texts, Has.Count.LessThanOrEqualTo(4), "one fault, a few lines at most:\n" + string.Join("\n", texts));
    }

    private static void AssertJournalComplete(FaultSite site)
    {
        Assert.That(site.Journal.Dropped, Is.Zero, "nothing dropped from the journal");
        Assert.That(site.Journal.Written, Is.GreaterThan(0));
    }
}
