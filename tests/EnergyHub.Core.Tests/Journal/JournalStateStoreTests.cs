using EnergyHub.Core.Journal;
using EnergyHub.Time;

namespace EnergyHub.Core.Tests.Journal;

/// <summary>Service state kept in the journal's database.</summary>
public sealed class JournalStateStoreTests
{
    [Test]
    public void A_value_is_kept_replaced_and_read_back_by_another_instance_beside_the_journals_own_tables()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("energyhub-state-").FullName, "journal.db");
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        using (new SiteJournal(path, new EnergyHub.Core.Config.JournalOptions(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance))
        {
        }
        var store = new JournalStateStore(path, time);
        Assert.That(store.Load("SurplusDistributor", "statistics"), Is.Null);
        store.Save("SurplusDistributor", "statistics", "{\"a\":1}");
        store.Save("SurplusDistributor", "statistics", "{\"a\":2}");
        store.Save("Other", "statistics", "{\"b\":1}");

        var again = new JournalStateStore(path, time);
        Assert.That((again.Load("SurplusDistributor", "statistics"), again.Load("Other", "statistics")), Is.EqualTo(("{\"a\":2}", "{\"b\":1}")));
    }

    [Test]
    public void A_database_that_cannot_be_opened_is_an_io_error_that_names_it()
    {
        var folder = Directory.CreateTempSubdirectory("energyhub-state-").FullName; // a folder where the file should be
        var store = new JournalStateStore(folder, TimeProvider.System);
        Assert.That(() => store.Save("S", "k", "{}"), Throws.InstanceOf<IOException>().With.Message.Contains(folder));
    }
}
