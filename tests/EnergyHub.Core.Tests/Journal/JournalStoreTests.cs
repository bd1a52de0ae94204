using EnergyHub.Core.Config;
using EnergyHub.Core.Journal;
using EnergyHub.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace EnergyHub.Core.Tests.Journal;

/// <summary>What each store does beyond the shared contract: SQLite's backfill of rollups, PostgreSQL's migrations.</summary>
public sealed class JournalStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task A_sqlite_journal_from_before_the_rollups_gets_them_from_what_it_holds_when_opened()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("energyhub-journal-").FullName, "journal.db");
        using (var journal = new SiteJournal(path, new JournalOptions(), NullLogger.Instance))
        {
            for (var i = 0; i < 3 * 1440; i++)
            {
                journal.Add(new ReadingRecord(Start.AddMinutes(i), "grid/Meter.PowerW", "grid", "W", i == 1000 ? 9999 : i % 60));
            }
            await journal.FlushAsync();
        }
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE readings_hour; DROP TABLE readings_day;";
            drop.ExecuteNonQuery();
        }

        using var reopened = new SiteJournal(path, new JournalOptions(), NullLogger.Instance);

        var daily = await reopened.HistoryAsync("grid/Meter.PowerW", Start, Start.AddDays(3), 3);
        Assert.That((daily.Sum(p => p.Count), daily.Max(p => p.Max)), Is.EqualTo((3L * 1440, 9999.0)));
    }

    [Test]
    public void A_postgres_database_is_migrated_once_even_by_two_journals_opening_at_once_and_a_newer_one_is_refused()
    {
        var database = PostgresServer.NewDatabase();

        var opened = Enumerable.Range(0, 2).AsParallel().Select(_ => new PostgresJournalStore(database).Migrated()).ToList();
        opened.ForEach(store => store.Dispose());

        Assert.That(PostgresServer.Scalar(database, "SELECT string_agg(version::text, ',') FROM energyhub_schema"),
            Is.EqualTo(string.Join(",", Enumerable.Range(1, PostgresJournalSchema.Migrations.Count))));
        Assert.That(PostgresServer.Scalar(database, "SELECT indexdef FROM pg_indexes WHERE indexname = 'readings_ts_brin'") as string, Does.Contain("USING brin"));
        PostgresServer.Scalar(database, $"INSERT INTO energyhub_schema (version) VALUES ({PostgresJournalSchema.Migrations.Count + 1})");
        var refused = Assert.Throws<JournalSchemaException>(() => new PostgresJournalStore(database).Migrated().Dispose());
        Assert.That(refused!.Message, Does.Contain("update EnergyHub"));
    }

    [Test]
    public async Task A_postgres_server_that_is_down_when_the_site_starts_delays_the_journal_not_the_start()
    {
        var database = PostgresServer.NewDatabase();
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var away = new NpgsqlConnectionStringBuilder(database) { Port = closedPort, Timeout = 2 }.ToString();

        using var journal = new SiteJournal(new PostgresJournalStore(away), new JournalOptions(), NullLogger.Instance);
        journal.Add(new DecisionRecord(Start, "Guard", "limiting", "{}"));

        Assert.That(async () => await journal.FlushAsync(), Throws.InstanceOf<NpgsqlException>());
        Assert.That((journal.Failing, journal.QueueDepth), Is.EqualTo((true, 1)));
    }

    [Test]
    public async Task A_postgres_journal_that_is_away_keeps_its_batch_and_writes_it_when_it_is_back()
    {
        var database = PostgresServer.NewDatabase();
        using var journal = new SiteJournal(new PostgresJournalStore(database).Migrated(), new JournalOptions(), NullLogger.Instance);
        journal.Add(new DecisionRecord(Start, "Guard", "limiting", "{}"));
        journal.Add(new ReadingRecord(Start, "grid/Meter.PowerW", "grid", "W", 1));
        PostgresServer.Scalar(database, "ALTER TABLE decisions RENAME TO decisions_away");

        Assert.That(async () => await journal.FlushAsync(), Throws.InstanceOf<PostgresException>());
        Assert.That((journal.Failing, journal.QueueDepth), Is.EqualTo((true, 2)), "the batch is kept, nothing half-written");
        Assert.That(PostgresServer.Scalar(database, "SELECT COUNT(*) FROM readings"), Is.Zero);

        PostgresServer.Scalar(database, "ALTER TABLE decisions_away RENAME TO decisions");
        Assert.That(await journal.FlushAsync(), Is.EqualTo(2));
        Assert.That((await journal.DecisionsAsync(0, 10)).Single().Decision, Is.EqualTo("limiting"));
    }
}
