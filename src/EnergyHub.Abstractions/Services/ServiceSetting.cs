using System.Globalization;

namespace EnergyHub.Services;

/// <summary>
/// A value a running service lets its owner change without editing config.ini (over MQTT as
/// <c>{prefix}/{Service}/{Name}/set</c>): a number within a range, or one of a set of choices. Text is checked here,
/// before the service sees it; the service's setter is called from another thread than its ticks, so it must store
/// the value atomically (a volatile field is enough).
/// </summary>
public sealed class ServiceSetting
{
    private readonly Func<string> _get;
    private readonly Func<string, string?> _apply;

    private ServiceSetting(string name, string description, IReadOnlyList<string> choices, double? min, double? max, Func<string> get, Func<string, string?> apply)
    {
        (Name, Description, Choices, Min, Max, _get, _apply) = (name, description, choices, min, max, get, apply);
    }

    /// <summary>The setting's name, with its unit suffix (<c>ThresholdPerKwh</c>).</summary>
    public string Name { get; }

    /// <summary>One sentence for people: what it changes.</summary>
    public string Description { get; }

    /// <summary>The allowed values of a choice; empty for a number.</summary>
    public IReadOnlyList<string> Choices { get; }

    /// <summary>The smallest number allowed; null for a choice.</summary>
    public double? Min { get; }

    /// <summary>The largest number allowed; null for a choice.</summary>
    public double? Max { get; }

    /// <summary>The unit symbol read off the name (<see cref="Conventions.UnitOf"/>), or empty.</summary>
    public string Unit => Conventions.UnitOf(Name) ?? "";

    /// <summary>The value in force, as text (invariant culture).</summary>
    public string Current => _get();

    /// <summary>A number between <paramref name="min"/> and <paramref name="max"/>.</summary>
    public static ServiceSetting Number(string name, string description, double min, double max, Func<double> get, Action<double> set) =>
        new(name, description, [], min, max, () => get().ToString("R", CultureInfo.InvariantCulture), text =>
        {
            if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < min || value > max)
            {
                return $"'{Shorten(text)}' is not a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";
            }
            set(value);
            return null;
        });

    /// <summary>One of the names of <typeparamref name="TEnum"/> (case-insensitive).</summary>
    public static ServiceSetting Choice<TEnum>(string name, string description, Func<TEnum> get, Action<TEnum> set)
        where TEnum : struct, Enum
    {
        var names = Enum.GetNames<TEnum>();
        return new(name, description, names, null, null, () => get().ToString(), text =>
        {
            if (names.FirstOrDefault(n => string.Equals(n, text.Trim(), StringComparison.OrdinalIgnoreCase)) is not { } match)
            {
                return $"'{Shorten(text)}' is not one of {string.Join(", ", names)}";
            }
            set(Enum.Parse<TEnum>(match));
            return null;
        });
    }

    /// <summary>Checks <paramref name="text"/> and, when it is allowed, hands it to the service; returns why not, or null when applied.</summary>
    public string? TryApply(string text) => _apply(text);

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;
}

/// <summary>A service that offers <see cref="ServiceSetting"/>s to its owner.</summary>
public interface IHasSettings
{
    /// <summary>The settings, the same list for the life of the instance.</summary>
    IReadOnlyList<ServiceSetting> Settings { get; }
}

/// <summary>
/// The settings of the services running now, for whoever presents them (an exporter announcing them to Home Assistant,
/// a dashboard). Found in the shared resources under <see cref="SharedKey"/>.
/// </summary>
public interface IServiceSettings
{
    /// <summary>The key of the site's settings in <see cref="Plugins.ISharedResources"/>.</summary>
    const string SharedKey = "energyhub.settings";

    /// <summary>Raised for each setting of a newly started service instance, and after a setting changed (service name, setting).</summary>
    event Action<string, ServiceSetting>? Changed;

    /// <summary>Every setting of the services running now, by service.</summary>
    IReadOnlyList<(string Service, ServiceSetting Setting)> All();

    /// <summary>Sets a setting from text; returns why it was refused (naming the allowed values), or null when applied.</summary>
    string? Apply(string service, string name, string text);
}
