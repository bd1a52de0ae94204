using EnergyHub.Commands;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Commands;

/// <summary>One command attempt and its outcome.</summary>
public sealed record CommandAuditEntry(DateTimeOffset Timestamp, CommandRequest Request, CommandResult Result);

/// <summary>
/// Every command the gate handled: logged (sends at Information, failures and refusals at Warning, skips at Debug),
/// kept in memory for the last <see cref="Capacity"/> entries, and raised to subscribers such as the journal.
/// </summary>
public sealed class CommandAuditLog(ILogger<CommandAuditLog> logger)
{
    public const int Capacity = 500;

    private readonly object _gate = new();
    private readonly Queue<CommandAuditEntry> _recent = new();

    /// <summary>Raised after every entry, on the thread that sent the command; handlers must not block.</summary>
    public event Action<CommandAuditEntry>? Recorded;

    public IReadOnlyList<CommandAuditEntry> Recent()
    {
        lock (_gate)
        {
            return _recent.ToList();
        }
    }

    public void Record(CommandAuditEntry entry)
    {
        lock (_gate)
        {
            _recent.Enqueue(entry);
            while (_recent.Count > Capacity)
            {
                _recent.Dequeue();
            }
        }
        var (request, result) = (entry.Request, entry.Result);
        var level = result.Status switch
        {
            CommandStatus.Sent => LogLevel.Information,
            CommandStatus.Unchanged or CommandStatus.RateLimited => LogLevel.Debug,
            _ => LogLevel.Warning,
        };
        logger.Log(level, "Command {Device}.{Command} = {Value} from {Source} ({Reason}): {Status}{Detail}",
            request.DeviceId, request.Command, request.Value, request.Source, request.Reason, result.Status,
            result.Detail is null ? "" : $", {result.Detail}");
        Recorded?.Invoke(entry);
    }
}
