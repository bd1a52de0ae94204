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
        var service = new JournalService(journal, config, time, logger);
        await service.StartAsync(CancellationToken.None);
        Fault(journal, on: true);

        for (var second = 0; second < 20; second++)
        {
            AddSecond(journal, second);
            await Sessions.Until(() => time.ArmedTimers == 1, "the flush loop waits");
            time.Advance(TimeSpan.FromSeconds(1));
        }
        await Sessions.Until(() => time.ArmedTimers == 1, "the flush loop waits");
        var whileFailing = logger.Lines.Count(l => l.Level >= LogLevel.Warning);
        Fault(journal, on: false);
        time.Advance(TimeSpan.FromSeconds(1));
        await Sessions.Until(() => logger.Lines.Any(l => l.Text.StartsWith("Journal writes again", StringComparison.Ordinal)), "the recovery line");
        Fault(journal, on: true);
        AddSecond(journal, 99);
        await service.StopAsync(CancellationToken.None);

        Assert.That(whileFailing, Is.EqualTo(1), "one line for 20 failed flushes");
        Assert.That(logger.Lines.Single(l => l.Text.StartsWith("Journal writes again", StringComparison.Ordinal)).Text, Does.Contain("record(s) were dropped meanwhile"));
        Assert.That(logger.Lines[^1].Text, Does.Contain("101 record(s) could not be written at shutdown"), "shutdown counts what it loses instead of throwing");
        Assert.That(journal.QueueDepth, Is.Zero);
    }
}
