using EnergyHub.Commands;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Commands;

/// <summary>One command attempt and its outcome.</summary>
public sealed record CommandAuditEntry(DateTimeOffset Timestamp, CommandRequest Request, CommandResult Result);

/// <summary>
/// Every command the gate handled: logged (sends at Information, reassertions of a value the device holds and skips at Debug, failures and refusals at Warning once
/// per device and command until one is sent again, repeats at Debug, so a dead device is one line and not one per retry),
/// kept in memory for the last <see cref="Capacity"/> entries, and raised to subscribers such as the journal.
/// </summary>
public sealed class CommandAuditLog(ILogger<CommandAuditLog> logger)
{
    public const int Capacity = 500;

    private readonly object _gate = new();
    private readonly Queue<CommandAuditEntry> _recent = new();
    private readonly Dictionary<(string Device, string Command), int> _failuresInARow = [];
    private readonly Dictionary<(string Device, CommandStatus Status), long> _totals = [];

    /// <summary>Raised after every entry, on the thread that sent the command; handlers must not block.</summary>
    public event Action<CommandAuditEntry>? Recorded;

    public IReadOnlyList<CommandAuditEntry> Recent()
    {
        lock (_gate)
        {
            return _recent.ToList();
        }
    }

    /// <summary>Every command handled since start, by device and outcome (a counter: never trimmed like <see cref="Recent"/>).</summary>
    public IReadOnlyDictionary<(string Device, CommandStatus Status), long> Totals()
    {
        lock (_gate)
        {
            return new Dictionary<(string Device, CommandStatus Status), long>(_totals);
        }
    }

    public void Record(CommandAuditEntry entry)
    {
        lock (_gate)
        {
            var total = (entry.Request.DeviceId, entry.Result.Status);
            _totals[total] = _totals.GetValueOrDefault(total) + 1;
            _recent.Enqueue(entry);
            while (_recent.Count > Capacity)
            {
                _recent.Dequeue();
            }
        }
        var (request, result) = (entry.Request, entry.Result);
        var key = (request.DeviceId.ToLowerInvariant(), request.Command);
        int failedBefore;
        lock (_gate)
        {
            _failuresInARow.TryGetValue(key, out failedBefore);
            if (result.Status is CommandStatus.Failed or CommandStatus.UnknownDevice or CommandStatus.Unsupported or CommandStatus.NotOwner)
            {
                _failuresInARow[key] = failedBefore + 1;
            }
            else if (result.Status == CommandStatus.Sent)
            {
                _failuresInARow.Remove(key);
            }
        }
        var level = result.Status switch
        {
            CommandStatus.Sent => result.Reasserted ? LogLevel.Debug : LogLevel.Information,
            CommandStatus.Unchanged or CommandStatus.RateLimited => LogLevel.Debug,
            _ => failedBefore == 0 ? LogLevel.Warning : LogLevel.Debug,
        };
        if (logger.IsEnabled(level))
        {
            var detail = result.Detail is null ? "" : $", {result.Detail}";
            if (result.Status == CommandStatus.Sent && failedBefore > 0)
            {
                detail = $" (after {failedBefore} failed attempt(s))";
            }
            else if (level == LogLevel.Warning)
            {
                detail += "; retries are logged at Debug until one is sent";
            }
            logger.Log(level, "Command {Device}.{Command} = {Value} from {Source} ({Reason}): {Status}{Detail}",
                request.DeviceId, request.Command, request.Value, request.Source, request.Reason, result.Status, detail);
        }
        Recorded?.Invoke(entry);
    }
}
