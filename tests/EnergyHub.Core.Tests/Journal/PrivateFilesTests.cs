using EnergyHub.Core.Config;
using EnergyHub.Core.Journal;
using EnergyHub.Core.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Core.Tests.Journal;

/// <summary>What EnergyHub writes about a home is for its owner: no file is readable by other users.</summary>
public sealed class PrivateFilesTests
{
    private const UnixFileMode World = UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Test]
    public async Task A_new_journal_and_its_wal_are_owner_only_and_an_old_world_readable_one_is_closed()
    {
        var dir = Directory.CreateTempSubdirectory("energyhub-private-").FullName;
        var path = Path.Combine(dir, "journal.db");
        var journal = new SiteJournal(path, new JournalOptions(), NullLogger.Instance);
        journal.Add(new DecisionRecord(DateTimeOffset.UtcNow, "Probe", "written", "{}"));
        await journal.FlushAsync();

        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(File.GetUnixFileMode(path + "-wal"), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), "SQLite copies the database's mode");

        var old = Path.Combine(dir, "old.db");
        File.Copy(path, old);
        File.SetUnixFileMode(old, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        _ = new SiteJournal(old, new JournalOptions(), NullLogger.Instance);
        Assert.That(File.GetUnixFileMode(old) & World, Is.EqualTo((UnixFileMode)0));
        Assert.That(File.GetUnixFileMode(old) & UnixFileMode.GroupRead, Is.EqualTo(UnixFileMode.GroupRead), "a group the owner chose keeps its access");
    }

    [Test]
    public void Log_files_are_640()
    {
        var dir = Directory.CreateTempSubdirectory("energyhub-private-").FullName;
        using (var loggers = LoggingSetup.Create(new LoggingOptions(), dir))
        {
            loggers.CreateLogger("Test").LogWarning("a line");
        }
        var file = Directory.GetFiles(dir, "energyhub*.log").Single();
        Assert.That(File.GetUnixFileMode(file), Is.EqualTo(PrivateLogFiles.Mode));
    }
}
