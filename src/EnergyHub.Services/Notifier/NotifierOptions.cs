using System.ComponentModel.DataAnnotations;
using EnergyHub.Options;

namespace EnergyHub.Services.Notifier;

/// <summary>
/// The <c>[Notifier]</c> section: a plain HTTP POST per event (the GoodWe coordinator's webhook; an ntfy topic URL shows
/// it on a phone as it is), the message as the body and its title, priority and tags in ntfy's headers.
/// </summary>
public sealed class NotifierOptions : ServiceOptions
{
    /// <summary>Where each notification is POSTed, e.g. https://ntfy.sh/my-house-energy or a webhook of your own.</summary>
    [Required]
    [Url(ErrorMessage = "an http:// or https:// URL, e.g. https://ntfy.sh/my-house-energy")]
    public string Url { get; init; } = "";

    /// <summary>A bearer token sent as <c>Authorization</c> (an ntfy access token); empty = none.</summary>
    [Secret]
    public string Token { get; init; } = "";

    /// <summary>Tell when a car starts or stops charging, and when the battery starts or stops charging from the grid.</summary>
    public bool Charging { get; init; } = true;

    /// <summary>Tell when a device goes offline (and comes back), and when a command fails.</summary>
    public bool Faults { get; init; } = true;

    /// <summary>How long one POST may take before it is given up (and logged).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
