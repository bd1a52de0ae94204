namespace EnergyHub.Testing;

/// <summary>
/// One row of a service's table: at <see cref="Offset"/> after the start the site looks like <see cref="Site"/>; the service
/// ticks once and must send exactly <see cref="Commands"/> (when given) and record <see cref="Decision"/> (when given).
/// </summary>
/// <param name="Offset">The tick's time after the harness's start; rows run in order and time only moves forward.</param>
/// <param name="Site">Builds the site the service sees at that tick.</param>
public sealed record Cycle(TimeSpan Offset, Func<SiteBuilder, SiteBuilder> Site)
{
    /// <summary>The commands expected from this tick, in order; null = not checked, empty = none.</summary>
    public IReadOnlyList<ExpectedCommand>? Commands { get; init; }

    /// <summary>The decision expected from this tick; null = not checked.</summary>
    public string? Decision { get; init; }

    /// <summary>The tick at <paramref name="seconds"/> s after the start, on the site <paramref name="site"/> builds.</summary>
    public static Cycle At(double seconds, Func<SiteBuilder, SiteBuilder> site) => new(TimeSpan.FromSeconds(seconds), site);

    /// <summary>This row expecting exactly <paramref name="commands"/> (none when empty).</summary>
    public Cycle Sends(params ExpectedCommand[] commands) => this with { Commands = commands };

    /// <summary>This row expecting the decision <paramref name="decision"/>.</summary>
    public Cycle Decides(string decision) => this with { Decision = decision };
}

/// <summary>A command a row expects: its device, its kind (e.g. <c>ActivePowerLimitPct</c>) and value within <paramref name="Tolerance"/>.</summary>
/// <param name="DeviceId">The device.</param>
/// <param name="Kind">The command's <see cref="Commands.DeviceCommand.Kind"/>.</param>
/// <param name="Value">Its value, in the unit its kind names.</param>
/// <param name="Tolerance">How far the value may be off.</param>
/// <param name="IsSafety">When given, whether it must (or must not) be a safety command.</param>
public sealed record ExpectedCommand(string DeviceId, string Kind, double Value, double Tolerance = 0, bool? IsSafety = null)
{
    /// <summary>Whether <paramref name="command"/> is this one.</summary>
    public bool Matches(Commands.DeviceCommand command) =>
        string.Equals(command.DeviceId, DeviceId, StringComparison.OrdinalIgnoreCase) && command.Kind == Kind
        && Math.Abs(command.Value - Value) <= Tolerance && (IsSafety is not { } safety || command.IsSafety == safety);

    /// <inheritdoc />
    public override string ToString() => $"{Kind} {Value}{(Tolerance > 0 ? $" ± {Tolerance}" : "")} to '{DeviceId}'{(IsSafety == true ? " (safety)" : "")}";
}
