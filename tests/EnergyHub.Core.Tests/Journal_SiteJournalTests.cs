using EnergyHub.Core.Config;
using EnergyHub.Core.Journal;
using EnergyHub.Core.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Core.Tests;

public sealed class SiteJournalTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static SiteJournal Open(JournalOptions? options = null) =>
        new(Path.Combine(Directory.CreateTempSubdirectory("energyhub-journal-").FullName, "journal.db"), options ?? new JournalOptions(), NullLogger.Instance);

    private static long Count(SiteJournal journal, string table) => JournalRows.Count(journal, table);

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
        var old = journal.History("grid/Meter.PowerW", now.AddDays(-1), now.AddHours(-2), 24);
        Assert.That(old.Sum(p => p.Count), Is.EqualTo(22 * 360), "minute averages keep their sample counts");
        Assert.That(old.Min(p => p.Min), Is.Zero);
        Assert.That(old.Max(p => p.Max), Is.EqualTo(59));
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
        Assert.That(journal.History("grid/Meter.PowerW", Start, Start.AddHours(2), 1)[0].Min, Is.EqualTo(4000), "the oldest went first");
        Assert.That(Count(journal, "decisions"), Is.EqualTo(500));
        Assert.That(Count(journal, "commands"), Is.EqualTo(500));
        Assert.That(journal.Decisions(0, 10)[0].Decision, Is.EqualTo("limiting"));
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

        var recent = journal.Decisions(0, 100, "Guard", Start.AddMinutes(5));

        Assert.That(recent.Select(d => d.Decision), Is.EqualTo(new[] { "d6", "d8" }));
        Assert.That(journal.Decisions(0, 100), Has.Count.EqualTo(10), "without filters: all");
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
}
