using EnergyHub.Core.Config;
using EnergyHub.Core.Journal;
using EnergyHub.Core.Tests.Support;
using EnergyHub.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Core.Tests.Journal;

/// <summary>
/// The journal's contract, run on both stores: SQLite in a temp file, PostgreSQL in a fresh database on the test run's
/// throwaway cluster (see <see cref="PostgresServer"/>).
/// </summary>
[TestFixture(JournalBackend.Sqlite)]
[TestFixture(JournalBackend.Postgres)]
public sealed class JournalContractTests(JournalBackend backend)
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private string? _database;

    private SiteJournal Open(JournalOptions? options = null)
    {
        if (backend == JournalBackend.Postgres)
        {
            _database = PostgresServer.NewDatabase();
            return new SiteJournal(new PostgresJournalStore(_database), options ?? new JournalOptions(), NullLogger.Instance);
        }
        return new(Path.Combine(Directory.CreateTempSubdirectory("energyhub-journal-").FullName, "journal.db"), options ?? new JournalOptions(), NullLogger.Instance);
    }

    private long Count(SiteJournal journal, string table) => backend == JournalBackend.Postgres
        ? (long)PostgresServer.Scalar(_database!, $"SELECT COUNT(*) FROM {table}")!
        : JournalRows.Count(journal, table);

    [Test]
    public async Task Retention_averages_old_readings_to_minutes_and_deletes_what_is_too_old()
    {
        using var journal = Open(new JournalOptions { FullResolution = TimeSpan.FromHours(1), Retention = TimeSpan.FromDays(2) });
        // Three days of one reading every 10 s, value = minute of the day.
        for (var i = 0; i < 3 * 8640; i++)
        {
            var t = Start.AddSeconds(10 * i);
            journal.Add(new ReadingRecord(t, "grid/Meter.PowerW", "grid", "W", t.Minute));
        }
        journal.Add(new DecisionRecord(Start, "Guard", "limiting", "{}"));
        await journal.FlushAsync();

        var now = Start.AddDays(3);
        var (averaged, deleted) = journal.ApplyRetention(now);

        Assert.That(Count(journal, "readings"), Is.EqualTo(360), "the last hour stays at full resolution");
        Assert.That(averaged, Is.EqualTo(3 * 8640 - 360));
        Assert.That(Count(journal, "readings_minute"), Is.EqualTo(2 * 1440 - 60), "minute averages from 2 days ago until an hour ago");
        Assert.That(deleted, Is.EqualTo(1440 + 1), "the first day's minutes and its decision are past retention");
        var old = await journal.HistoryAsync("grid/Meter.PowerW", now.AddDays(-1), now.AddHours(-2), 24);
        Assert.That(old.Sum(p => p.Count), Is.EqualTo(22 * 360), "minute averages keep their sample counts");
        Assert.That(old.Min(p => p.Min), Is.Zero);
        Assert.That(old.Max(p => p.Max), Is.EqualTo(59));
    }

    [Test]
    public async Task Long_ranges_are_read_from_hourly_and_daily_rollups_that_keep_every_spike_and_match_the_raw_values()
    {
        using (var journal = Open())
        {
            // Ten days at one reading a minute, a spike of 9999 once, in two flushes (the second adds to the same hour).
            for (var i = 0; i < 10 * 1440; i++)
            {
                journal.Add(new ReadingRecord(Start.AddMinutes(i), "grid/Meter.PowerW", "grid", "W", i == 4321 ? 9999 : i % 60));
                if (i == 5000)
                {
                    await journal.FlushAsync();
                }
            }
            await journal.FlushAsync();
            var raw = await journal.HistoryAsync("grid/Meter.PowerW", Start, Start.AddDays(10), 100_000);
            var hourly = await journal.HistoryAsync("grid/Meter.PowerW", Start, Start.AddDays(10), 240);
            var daily = await journal.HistoryAsync("grid/Meter.PowerW", Start, Start.AddDays(10), 10);
            Assert.That(raw, Has.Count.EqualTo(10 * 1440));
            Assert.That(hourly, Has.Count.EqualTo(240));
            Assert.That(daily, Has.Count.EqualTo(10));
            Assert.That((hourly.Sum(p => p.Count), daily.Sum(p => p.Count)), Is.EqualTo((10L * 1440, 10L * 1440)));
            Assert.That((hourly.Max(p => p.Max), daily.Max(p => p.Max)), Is.EqualTo((9999.0, 9999.0)), "the spike is kept");
            Assert.That(daily[1].Avg, Is.EqualTo(raw.Skip(1440).Take(1440).Average(p => p.Avg)).Within(1e-9));
        }
    }

    [Test]
    public async Task A_full_queue_drops_the_oldest_raw_readings_but_never_decisions_or_commands()
    {
        using var journal = Open(new JournalOptions { QueueCapacity = 1000 });
        for (var i = 0; i < 5000; i++)
        {
            journal.Add(new ReadingRecord(Start.AddSeconds(i), "grid/Meter.PowerW", "grid", "W", i));
            if (i % 10 == 0)
            {
                journal.Add(new DecisionRecord(Start.AddSeconds(i), "Guard", "limiting", "{}"));
                journal.Add(new CommandRecord(Start.AddSeconds(i), "roof", "ActivePowerLimitPct", 50, "Guard", "test", "Sent", null));
            }
        }
        await journal.FlushAsync();

        Assert.That(journal.Dropped, Is.EqualTo(4000));
        Assert.That(Count(journal, "readings"), Is.EqualTo(1000));
        Assert.That((await journal.HistoryAsync("grid/Meter.PowerW", Start, Start.AddHours(2), 1))[0].Min, Is.EqualTo(4000), "the oldest went first");
        Assert.That(Count(journal, "decisions"), Is.EqualTo(500));
        Assert.That(Count(journal, "commands"), Is.EqualTo(500));
        Assert.That((await journal.DecisionsAsync(0, 10))[0].Decision, Is.EqualTo("limiting"));
    }

    [Test]
    public async Task Decisions_can_be_asked_for_one_service_from_an_instant_on()
    {
        using var journal = Open(new JournalOptions());
        for (var i = 0; i < 10; i++)
        {
            journal.Add(new DecisionRecord(Start.AddMinutes(i), i % 2 == 0 ? "Guard" : "Other", $"d{i}", "{}"));
        }
        await journal.FlushAsync();

        var recent = await journal.DecisionsAsync(0, 100, "Guard", Start.AddMinutes(5));

        Assert.That(recent.Select(d => d.Decision), Is.EqualTo(new[] { "d6", "d8" }));
        Assert.That(await journal.DecisionsAsync(0, 100), Has.Count.EqualTo(10), "without filters: all");
    }

    [Test]
    public async Task Vacuum_reports_the_size_before_and_after_and_keeps_every_record()
    {
        using var journal = Open();
        for (var i = 0; i < 1000; i++)
        {
            journal.Add(new ReadingRecord(Start.AddSeconds(i), "grid/Meter.PowerW", "grid", "W", i));
        }
        await journal.FlushAsync();

        var (before, after) = journal.Vacuum();

        Assert.That(before, Is.GreaterThan(0), "the size of the file or database before");
        Assert.That(after, Is.GreaterThan(0), "and after");
        Assert.That(Count(journal, "readings"), Is.EqualTo(1000));
    }

    [Test]
    public async Task Export_writes_one_row_per_instant_with_a_column_per_series()
    {
        using var journal = Open();
        for (var i = 0; i < 3; i++)
        {
            journal.Add(new ReadingRecord(Start.AddSeconds(10 * i), "grid/Meter.PowerW", "grid", "W", -100 * i));
            journal.Add(new ReadingRecord(Start.AddSeconds(10 * i), "battery/Battery.SocPct", "battery", "%", 50 + i));
        }
        await journal.FlushAsync();
        var csv = new StringWriter();

        var rows = journal.ExportCsv(["grid/Meter.PowerW", "battery/Battery.SocPct"], Start, Start.AddMinutes(1), csv);

        Assert.That(rows, Is.EqualTo(3));
        Assert.That(csv.ToString().Split(Environment.NewLine)[0], Is.EqualTo("time_utc,grid/Meter.PowerW,battery/Battery.SocPct"));
        Assert.That(csv.ToString().Split(Environment.NewLine)[2], Is.EqualTo("2026-06-01T00:00:10.000Z,-100,51"));
    }

    [Test]
    public async Task The_site_s_balance_and_every_command_in_force_are_kept_as_series_beside_the_readings()
    {
        var time = new EnergyHub.Time.ManualTimeProvider(Sessions.Start);
        var inverter = new FakeInverter("roof", time);
        var devices = new EnergyHub.Core.Devices.DeviceRegistry([Sessions.Of(new FakeMeter("grid", time), time), Sessions.Of(inverter, time)]);
        var site = new EnergyHub.Core.Devices.SiteState(devices, time);
        var audit = new EnergyHub.Core.Commands.CommandAuditLog(NullLogger<EnergyHub.Core.Commands.CommandAuditLog>.Instance);
        using var journal = Open();
        journal.Attach(site, audit, new EnergyHub.Core.Events.DecisionLog(time));

        site.RecordSuccess("grid", new Readings.DeviceReading { Timestamp = time.GetUtcNow(), Meter = new Readings.MeterReading(-1500) });
        var sent = await new EnergyHub.Core.Commands.CommandGate(devices, time, audit).For("Guard").SendAsync(new EnergyHub.Commands.SetActivePowerLimit("roof", 40, "test"), CancellationToken.None);
        await journal.FlushAsync();

        var kept = journal.Series().Select(s => (s.Series, s.Unit)).ToList();
        Assert.That(sent.Status, Is.EqualTo(EnergyHub.Commands.CommandStatus.Sent));
        Assert.That(kept, Does.Contain(("balance/GridW", "W")).And.Contain(("command/roof.ActivePowerLimitPct", "%")));
        var limit = await journal.HistoryAsync("command/roof.ActivePowerLimitPct", Sessions.Start.AddMinutes(-1), Sessions.Start.AddMinutes(1), 1);
        Assert.That(limit.Single().Max, Is.EqualTo(40));
    }
}
