using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Config;

/// <summary>The <c>[Common]</c> section.</summary>
public sealed class CommonOptions : IValidatableObject
{
    /// <summary>A name for this site in logs and the dashboard.</summary>
    public string SiteName { get; init; } = "EnergyHub";

    /// <summary>Where the journal, caches, counters and (by default) logs live; relative to the config file's folder. Unset under systemd: its StateDirectory.</summary>
    [MinLength(1)]
    public string DataDir { get; init; } = "data";

    /// <summary>Extra folders searched for plugins, besides the <c>plugins</c> folder beside the executable.</summary>
    public IReadOnlyList<string> PluginDirs { get; init; } = [];

    /// <summary>
    /// How often <c>run</c> looks for a plugin folder dropped in, replaced or removed; the site then restarts in-process
    /// on the new plugins (a broken one leaves the running site as it is). 0 = never.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan PluginReloadInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How fast the clock runs: 1 = real time; 60 = a simulated minute per second. Only for simulated sites.</summary>
    [Range(0.001, 10_000.0)]
    public double Speed { get; init; } = 1;

    /// <summary>The time the clock starts at; empty = now. Only for simulated sites.</summary>
    public DateTimeOffset? ClockStart { get; init; }

    /// <summary>How often the site cycle runs: the services with <c>SiteCycle = true</c> tick on one snapshot, in priority order.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "01:00:00")]
    public TimeSpan SiteCycleInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The device whose meter is the site's grid connection, for the site's totals (page, API, services); empty = the
    /// first device in the file that meters the grid. Set it when two devices meter the grid (a battery system's meter
    /// and an inverter's meter block), or the totals may come from the other.
    /// </summary>
    [EnergyHub.Options.DeviceRef(typeof(EnergyHub.Devices.IMeter))]
    public string GridMeter { get; init; } = "";

    /// <summary>
    /// The site's time zone (IANA, e.g. Europe/Warsaw): local midnight for today's energy, <c>TargetSocAt</c>, hours of
    /// the day in rules and statistics. Empty = this machine's.
    /// </summary>
    public string TimeZone { get; init; } = "";

    /// <summary>The zone <see cref="TimeZone"/> names, or this machine's.</summary>
    public TimeZoneInfo Zone => TimeZone.Length == 0 ? TimeZoneInfo.Local : TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TimeZone.Length > 0 && !TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return new ValidationResult($"'{TimeZone}' is not a time zone this machine knows; use an IANA name such as Europe/Berlin or Australia/Brisbane (empty = this machine's)",
                [nameof(TimeZone)]);
        }
    }
}

/// <summary>The <c>[Logging]</c> section.</summary>
public sealed class LoggingOptions
{
    /// <summary>Lowest level written: Trace, Debug, Information, Warning, Error, Critical.</summary>
    public LogLevel Level { get; init; } = LogLevel.Information;

    /// <summary>Folder of the rotating log file <c>energyhub.log</c>; relative to DataDir. Empty = no file. Unset under systemd: its LogsDirectory.</summary>
    public string Dir { get; init; } = "logs";

    /// <summary>Size at which the log file rolls over to a new one.</summary>
    [Range(10_000L, 10_000_000_000L)]
    public long MaxFileBytes { get; init; } = 10_000_000;

    /// <summary>How many log files are kept, the current one included.</summary>
    [Range(1, 1000)]
    public int RetainedFiles { get; init; } = 7;
}

/// <summary>Where the journal keeps its records.</summary>
public enum JournalBackend
{
    /// <summary>One SQLite file in the DataDir (<see cref="JournalOptions.File"/>).</summary>
    Sqlite,

    /// <summary>A PostgreSQL database (<see cref="JournalOptions.ConnectionString"/>).</summary>
    Postgres,
}

/// <summary>The <c>[Journal]</c> section: the record of readings, decisions, commands and health, in SQLite or PostgreSQL.</summary>
public sealed class JournalOptions : IValidatableObject
{
    /// <summary>Keep a journal at all.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Sqlite (a file in the DataDir) or Postgres (a database on a server, <see cref="ConnectionString"/>).</summary>
    public JournalBackend Backend { get; init; } = JournalBackend.Sqlite;

    /// <summary>
    /// For Postgres: an Npgsql connection string, e.g. <c>Host=db.lan;Database=energyhub;Username=energyhub</c>. Leave the
    /// password out: PGPASSWORD in the environment, or ~/.pgpass, gives it.
    /// </summary>
    public string ConnectionString { get; init; } = "";

    /// <summary>The database file; relative to DataDir.</summary>
    [MinLength(1)]
    public string File { get; init; } = "journal.db";

    /// <summary>Readings are kept at full resolution this long, then as minute averages.</summary>
    [Range(typeof(TimeSpan), "00:10:00", "3650.00:00:00")]
    public TimeSpan FullResolution { get; init; } = TimeSpan.FromHours(48);

    /// <summary>Everything older than this is deleted.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "36500.00:00:00")]
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(365);

    /// <summary>Raw readings waiting to be written; beyond it the oldest are dropped (and counted). Decisions and commands are never dropped.</summary>
    [Range(1000, 10_000_000)]
    public int QueueCapacity { get; init; } = 200_000;

    /// <summary>How often queued records are written, in one transaction.</summary>
    [Range(typeof(TimeSpan), "00:00:00.05", "00:01:00")]
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && Backend == JournalBackend.Postgres)
        {
            var error = ConnectionString.Length == 0 ? "is empty" : null;
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
            }
            catch (ArgumentException ex)
            {
                error = $"is not a connection string ({ex.Message})";
            }
            if (error is not null)
            {
                yield return new ValidationResult(
                    $"{error}: with Backend = Postgres set it, e.g. Host=127.0.0.1;Port=5432;Database=energyhub;Username=energyhub (the password from PGPASSWORD or ~/.pgpass)",
                    [nameof(ConnectionString)]);
            }
        }
    }
}

/// <summary>The <c>[Web]</c> section: HTTP API, live stream, /metrics and the live page.</summary>
public sealed class WebOptions
{
    /// <summary>Serve the API and the page.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Address to listen on; 127.0.0.1 keeps it on this machine, 0.0.0.0 opens it to the LAN.</summary>
    [MinLength(1)]
    public string Address { get; init; } = "127.0.0.1";

    /// <summary>Port to listen on; 0 picks a free one (logged at start).</summary>
    [Range(0, 65535)]
    public int Port { get; init; } = 8080;

    /// <summary>The address others reach this page at (e.g. behind a reverse proxy), for the fleet page's link; empty = none.</summary>
    public string PublicUrl { get; init; } = "";

    /// <summary>The key every request that changes something must carry (header X-Api-Key, or the page's session cookie); empty = one generated into DataDir/api-key at the first start.</summary>
    [EnergyHub.Options.Secret]
    public string ApiKey { get; init; } = "";

    /// <summary>With an ApiKey: reads (the API, the stream, /metrics) need it too; the page asks for it once.</summary>
    public bool ProtectReads { get; init; }

    /// <summary>
    /// Host names (and addresses) the page and API answer to, besides localhost, 127.0.0.1, [::1], this machine's
    /// names and its own addresses; others get 400, which stops DNS rebinding. <c>*</c> accepts any (not recommended).
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>Most live streams (/api/stream) open at once; one more gets 503.</summary>
    [Range(1, 1000)]
    public int MaxStreams { get; init; } = 10;

    /// <summary>Most live streams one client address holds at once, so one client cannot take them all; one more gets 503.</summary>
    [Range(1, 1000)]
    public int MaxStreamsPerClient { get; init; } = 4;

    /// <summary>Events a new stream client (without Last-Event-ID) receives from before it connected.</summary>
    [Range(0, 2000)]
    public int StreamReplay { get; init; } = 100;

    /// <summary>Whether <see cref="Address"/> is reachable only from this machine.</summary>
    public bool IsLoopbackOnly =>
        Address.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(Address.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip));
}
