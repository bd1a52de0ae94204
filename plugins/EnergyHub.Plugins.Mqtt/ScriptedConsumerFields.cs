using System.Globalization;

namespace EnergyHub.Plugins.Mqtt;

/// <summary>
/// What an es-ESS consumer script has said of itself, one topic per field (<c>…/Requests/{key}/{Field}</c>): es-ESS's
/// defaults until it says otherwise (priority 100, everything else 0 or false).
/// </summary>
public sealed record ScriptedConsumerFields
{
    /// <summary>The script takes part (else it is given nothing).</summary>
    public bool IsAutomatic { get; init; }

    /// <summary>The script has declared itself: es-ESS's sign that its fields are complete.</summary>
    public bool IsScriptedConsumer { get; init; }

    /// <summary>What it draws now, W, as it last said.</summary>
    public double ConsumptionW { get; init; }

    /// <summary>When it last said what it draws.</summary>
    public DateTimeOffset? ConsumptionAt { get; init; }

    /// <summary>A name for people; empty when it gave none.</summary>
    public string CustomName { get; init; } = "";

    /// <summary>The most it would draw, W.</summary>
    public double RequestW { get; init; }

    /// <summary>The least it runs on, W.</summary>
    public double MinimumW { get; init; }

    /// <summary>The steps it is given in, W (0: its whole request at once).</summary>
    public double StepW { get; init; }

    /// <summary>Lower is served first.</summary>
    public double Priority { get; init; } = 100;

    /// <summary>
    /// These fields with one more applied; a problem in words (the value is kept as it was) for a value the field does not
    /// take. Empty payloads, <c>Allowance</c> (what EnergyHub publishes) and fields es-ESS scripts send for others
    /// (VRMInstanceID, comments) change nothing; <c>PriorityShift</c> and <c>IgnoreBatReservation</c> are set in the
    /// surplus distributor's section for this device instead.
    /// </summary>
    public (ScriptedConsumerFields Fields, string? Problem) Apply(string field, string payload, DateTimeOffset now)
    {
        var text = payload.Trim();
        if (text.Length == 0)
        {
            return (this, null);
        }
        bool? flag = text.ToUpperInvariant() switch { "TRUE" or "1" or "ON" => true, "FALSE" or "0" or "OFF" => false, _ => null };
        var number = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n) ? n : (double?)null;
        var updated = field switch
        {
            "IsAutomatic" when flag is { } b => this with { IsAutomatic = b },
            "IsScriptedConsumer" when flag is { } b => this with { IsScriptedConsumer = b },
            "Consumption" when number is { } w => this with { ConsumptionW = Math.Max(0, w), ConsumptionAt = now },
            "Request" when number is >= 0 => this with { RequestW = number.Value },
            "StepSize" when number is >= 0 => this with { StepW = number.Value },
            "Minimum" when number is >= 0 => this with { MinimumW = number.Value },
            "Priority" when number is { } p => this with { Priority = p },
            "CustomName" => this with { CustomName = text },
            "IsAutomatic" or "IsScriptedConsumer" => null,
            "Consumption" or "Request" or "StepSize" or "Minimum" or "Priority" => null,
            _ => this,
        };
        return updated is null
            ? (this, $"{field}: '{text}' is not {(field.StartsWith("Is", StringComparison.Ordinal) ? "true or false" : "a number of 0 or more")}")
            : (updated, null);
    }
}
