using EnergyHub.Commands;
using EnergyHub.Core.Commands;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Core.Tests.Commands;

public sealed class CommandAuditLogTests
{
    [Test]
    public void Totals_count_every_command_since_start_while_the_recent_list_is_trimmed()
    {
        var audit = new CommandAuditLog(NullLogger<CommandAuditLog>.Instance);
        var request = new CommandRequest("roof", "SetActivePowerLimit", 50, "guard", "test");
        for (var i = 0; i < CommandAuditLog.Capacity + 100; i++)
        {
            audit.Record(new CommandAuditEntry(DateTimeOffset.UnixEpoch, request, new CommandResult(i % 2 == 0 ? CommandStatus.Sent : CommandStatus.Unchanged)));
        }

        Assert.That(audit.Recent(), Has.Count.EqualTo(CommandAuditLog.Capacity));
        Assert.That(audit.Totals()[("roof", CommandStatus.Sent)], Is.EqualTo(300));
        Assert.That(audit.Totals()[("roof", CommandStatus.Unchanged)], Is.EqualTo(300));
    }
}
