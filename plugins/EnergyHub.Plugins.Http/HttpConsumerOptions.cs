using System.ComponentModel.DataAnnotations;
using EnergyHub.Protocols.Consumers;

namespace EnergyHub.Plugins.Http;

/// <summary>
/// The keys of a <c>Driver = http-consumer</c> device: es-ESS's <c>[HttpConsumer:key]</c> keys (a Tasmota or Shelly
/// plug, any relay with URLs), with a timeout es-ESS lacked.
/// </summary>
public sealed class HttpConsumerOptions : NoCodeConsumerOptions
{
    /// <summary>Requested to switch it on, e.g. http://192.168.1.50/cm?cmnd=Power%20On.</summary>
    [Required]
    public Uri? OnUrl { get; init; }

    /// <summary>Requested to switch it off.</summary>
    [Required]
    public Uri? OffUrl { get; init; }

    /// <summary>Answers its status, in which OnKeywordRegex is looked for.</summary>
    [Required]
    public Uri? StatusUrl { get; init; }

    /// <summary>Answers its power, which PowerExtractRegex picks out; empty = none (then OnPowerW).</summary>
    public Uri? PowerUrl { get; init; }

    /// <summary>How long one request may take.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:01:00")]
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    protected override bool HasPowerSource => PowerUrl is not null;
}
