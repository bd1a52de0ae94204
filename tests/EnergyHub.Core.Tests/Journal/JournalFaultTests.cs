using EnergyHub.TestSupport;
using EnergyHub.Time;
using EnergyHub.Core.Config;
using EnergyHub.Core.Journal;
using EnergyHub.Core.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Core.Tests.Journal;

/// <summary>
/// A journal whose writes fail (disk full, database locked): the fault is injected in SQLite itself, by a trigger that
/// aborts every insert with "database or disk is full", and cleared by dropping it.
/// </summary>
public sealed class JournalFaultTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static void Fault(SiteJournal journal, bool on)
    {
        using var connection = new SqliteConnection($"Data Source={journal.Location};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = on
            ? "CREATE TRIGGER disk_full BEFORE INSERT ON readings BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;"
            : "DROP TRIGGER disk_full;";
        command.ExecuteNonQuery();
    }

    private static void AddSecond(SiteJournal journal, int second)
    {
        for (var i = 0; i < 100; i++)
        {
            journal.Add(new ReadingRecord(Start.AddSeconds(second), $"grid/S{i}", "grid", "W", second));
        }
        journal.Add(new DecisionRecord(Start.AddSeconds(second), "Guard", "limiting", "{}"));
    }

    [Test]
    public async Task While_writes_fail_the_queue_stays_bounded_every_drop_is_counted_and_nothing_else_is_lost()
    {
        using var journal = new SiteJournal(Path.Combine(Directory.CreateTempSubdirectory("energyhub-full-").FullName, "journal.db"),
            new JournalOptions { QueueCapacity = 1000 }, NullLogger.Instance);
        Fault(journal, on: true);
        var depths = new List<int>();
        for (var second = 0; second < 30; second++)
        {
            AddSecond(journal, second);
            Assert.ThrowsAsync<SqliteException>(() => journal.FlushAsync());
            depths.Add(journal.QueueDepth);
        }
        Assert.That(journal.Failing, Is.True);
        Assert.That(depths.Max(), Is.LessThanOrEqualTo(1000), "a failed batch counts toward the capacity");
        Assert.That(journal.Dropped + journal.QueueDepth, Is.EqualTo(30 * 101), "every record is either waiting or counted as dropped");

        Fault(journal, on: false);
        var written = await journal.FlushAsync();

        Assert.That(journal.Failing, Is.False);
        Assert.That(JournalRows.Count(journal, "readings") + JournalRows.Count(journal, "decisions"), Is.EqualTo(written));
        Assert.That(written + journal.Dropped, Is.EqualTo(30 * 101));
        Assert.That(JournalRows.Count(journal, "decisions"), Is.EqualTo(30), "decisions are dropped only after every raw reading");
    }

    [Test]
    public async Task The_service_logs_one_line_when_writes_start_failing_one_when_they_recover_and_never_throws_at_shutdown()
    {
        var dir = Directory.CreateTempSubdirectory("energyhub-full-").FullName;
        var options = new JournalOptions { QueueCapacity = 1000, FlushInterval = TimeSpan.FromSeconds(1) };
        using var journal = new SiteJournal(Path.Combine(dir, "journal.db"), options, NullLogger.Instance);
        var time = new ManualTimeProvider(Start);
        var logger = new ListLogger<JournalService>();
        var config = TestSite.Load("[Device:grid]\nDriver = fake-meter\n[Journal]\nQueueCapacity = 1000\nFlushInterval = 1s\n");
        Directory.CreateDirectory(Path.GetDirectoryName(config.JournalPath)!);
        var service = new JournalService(journal, config, time, logger);
        await service.StartAsync(CancellationToken.None);
        Fault(journal, on: true);

        for (var second = 0; second < 20; second++)
        {
            AddSecond(journal, second);
            await Eventually.Until(() => time.ArmedTimers == 1, "the flush loop waits");
            time.Advance(TimeSpan.FromSeconds(1));
        }
        await Eventually.Until(() => time.ArmedTimers == 1, "the flush loop waits");
        var whileFailing = logger.Lines.Count(l => l.Level >= LogLevel.Warning);
        Fault(journal, on: false);
        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.Until(() => logger.Lines.Any(l => l.Text.StartsWith("Journal writes again", StringComparison.Ordinal)), "the recovery line");
        Fault(journal, on: true);
        AddSecond(journal, 99);
        await service.StopAsync(CancellationToken.None);

        Assert.That(whileFailing, Is.EqualTo(1), "one line for 20 failed flushes");
        Assert.That(logger.Lines.Single(l => l.Text.StartsWith("Journal writes again", StringComparison.Ordinal)).Text, Does.Contain("record(s) were dropped meanwhile"));
        Assert.That(logger.Lines[^1].Text, Does.Contain("101 record(s) could not be written at shutdown").And.Contain("kept in"), "shutdown keeps what it cannot write instead of throwing");
        Assert.That(journal.QueueDepth, Is.Zero);
    }

    private static (SiteJournal Journal, SiteConfig Config) OnFullDisk()
    {
        var config = TestSite.Load("[Device:grid]\nDriver = fake-meter\n[Journal]\nFlushInterval = 1s\n");
        Directory.CreateDirectory(Path.GetDirectoryName(config.JournalPath)!);
        var journal = new SiteJournal(config.JournalPath, config.Journal, NullLogger.Instance);
        Fault(journal, on: true);
        return (journal, config);
    }

    [Test]
    public async Task What_a_full_disk_refuses_at_shutdown_is_kept_beside_the_journal_and_written_at_the_next_start()
    {
        var (journal, config) = OnFullDisk();
        var time = new ManualTimeProvider(Start);
        var stopping = new JournalService(journal, config, time, new ListLogger<JournalService>());
        AddSecond(journal, 1);
        journal.Add(new CommandRecord(Start.AddSeconds(1), "roof", "ActivePowerLimitPct", 100, "ExportGuard", "stopped: limit lifted", "Sent", null));

        await stopping.StopAsync(CancellationToken.None);
        var spills = JournalSpill.Files(Path.GetDirectoryName(config.JournalPath)!);

        Assert.That(spills, Has.Count.EqualTo(1));
        Assert.That(File.ReadLines(spills[0]).Count(), Is.EqualTo(102));
        Assert.That(journal.LostAtShutdown, Is.Zero, "kept, not lost");

        Fault(journal, on: false);
        var logger = new ListLogger<JournalService>();
        var next = new JournalService(journal, config, time, logger);
        await next.StartAsync(CancellationToken.None);
        await Eventually.Until(() => logger.Lines.Any(l => l.Text.Contains("record(s) the last shutdown kept", StringComparison.Ordinal)), "the spill is written");
        await next.StopAsync(CancellationToken.None);

        Assert.That(JournalRows.Count(journal, "readings"), Is.EqualTo(100));
        Assert.That(JournalRows.Count(journal, "commands"), Is.EqualTo(1), "the final 100 % command is in the journal");
        Assert.That(JournalSpill.Files(Path.GetDirectoryName(config.JournalPath)!), Is.Empty);
        journal.Dispose();
    }

    [Test]
    public async Task What_can_be_neither_written_nor_kept_is_said_in_one_line_per_kind_and_counted_as_lost()
    {
        var (journal, config) = OnFullDisk();
        var time = new ManualTimeProvider(Start);
        // The spill file's name taken by a folder: it cannot be created, as on a disk with no room at all.
        Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(config.JournalPath)!, "journal-spill-20260601T000000000Z.jsonl"));
        var logger = new ListLogger<JournalService>();
        AddSecond(journal, 1);
        journal.Add(new CommandRecord(Start.AddSeconds(1), "roof", "ActivePowerLimitPct", 100, "ExportGuard", "stopped: limit lifted", "Sent", null));

        await new JournalService(journal, config, time, logger).StopAsync(CancellationToken.None);

        Assert.That(journal.LostAtShutdown, Is.EqualTo(102), "the process exits non-zero on this");
        var lost = logger.Lines.Where(l => l.Text.StartsWith("Journal lost", StringComparison.Ordinal)).Select(l => l.Text).ToList();
        Assert.That(lost, Is.EqualTo(new[]
        {
            "Journal lost 1 command record(s), 2026-06-01 00:00:01Z to 00:00:01Z: 00:00:01Z roof ActivePowerLimitPct=100 from ExportGuard (Sent)",
            "Journal lost 1 decision record(s), 2026-06-01 00:00:01Z to 00:00:01Z",
            "Journal lost 100 reading record(s), 2026-06-01 00:00:01Z to 00:00:01Z of 100 series",
        }));
        journal.Dispose();
    }
}
