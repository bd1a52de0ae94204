using System.Globalization;

namespace EnergyHub.Services.SurplusDistributor;

/// <summary>A consumer run by a script over MQTT, as es-ESS's scripted consumers publish it (one topic per field).</summary>
public sealed record ScriptedConsumer(string Key)
{
    /// <summary>Takes part (else its allowance is 0).</summary>
    public bool IsAutomatic { get; init; }

    /// <summary>Declared a scripted consumer: es-ESS's sign that its fields are complete.</summary>
    public bool IsScriptedConsumer { get; init; }

    /// <summary>What it draws now, W, as it last said.</summary>
    public double ConsumptionW { get; init; }

    /// <summary>When it last said what it draws.</summary>
    public DateTimeOffset? ConsumptionAt { get; init; }

    /// <summary>A name for people.</summary>
    public string CustomName { get; init; } = "";

    /// <summary>The request, in the allocator's terms.</summary>
    public SurplusRequest Request { get; init; } = new(Key, Priority: 100, Request: 0, StepSize: 0);
}

/// <summary>
/// The scripted consumers, from the fields they publish on <c>{prefix}/{TopicName}/Requests/{key}/{Field}</c>: the first
/// field of an unseen key registers it with es-ESS's defaults (priority 100, all else 0 or false); empty payloads and
/// unknown fields are ignored; a value that is not what the field takes is refused with the reason.
/// </summary>
public sealed class ScriptedConsumers
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ScriptedConsumer> _consumers = new(StringComparer.Ordinal);

    /// <summary>Every consumer registered so far, in registration order.</summary>
    public IReadOnlyList<ScriptedConsumer> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _consumers.Values];
            }
        }
    }

    /// <summary>Applies one published field; returns a problem in words, or null.</summary>
    public string? Apply(string key, string field, string payload, DateTimeOffset now)
    {
        var text = payload.Trim();
        if (text.Length == 0 || key.Length == 0 || field == "Allowance") // Allowance is what EnergyHub publishes itself
        {
            return null;
        }
        lock (_gate)
        {
            var consumer = _consumers.TryGetValue(key, out var known) ? known : new ScriptedConsumer(key);
            var request = consumer.Request;
            bool? flag = text.ToUpperInvariant() switch { "TRUE" or "1" or "ON" => true, "FALSE" or "0" or "OFF" => false, _ => null };
            var number = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n) ? n : (double?)null;
            ScriptedConsumer? updated = field switch
            {
                "IsAutomatic" when flag is { } b => consumer with { IsAutomatic = b },
                "IsScriptedConsumer" when flag is { } b => consumer with { IsScriptedConsumer = b },
                "IgnoreBatReservation" when flag is { } b => consumer with { Request = request with { IgnoreBatReservation = b } },
                "Consumption" when number is { } w => consumer with { ConsumptionW = Math.Max(0, w), ConsumptionAt = now },
                "Request" when number is >= 0 => consumer with { Request = request with { Request = number.Value } },
                "StepSize" when number is >= 0 => consumer with { Request = request with { StepSize = number.Value } },
                "Minimum" when number is >= 0 => consumer with { Request = request with { Minimum = number.Value } },
                "Priority" when number is { } p => consumer with { Request = request with { Priority = p } },
                "PriorityShift" when number is >= 0 => consumer with { Request = request with { PriorityShift = number.Value } },
                "CustomName" => consumer with { CustomName = text },
                "IsAutomatic" or "IsScriptedConsumer" or "IgnoreBatReservation" => null,
                "Consumption" or "Request" or "StepSize" or "Minimum" or "Priority" or "PriorityShift" => null,
                _ => consumer, // unknown fields (VRMInstanceID, comments) are accepted and ignored
            };
            if (updated is null)
            {
                return $"{key}/{field}: '{text}' is not {(field.StartsWith("Is", StringComparison.Ordinal) || field == "IgnoreBatReservation" ? "true or false" : "a number of 0 or more")}";
            }
            _consumers[key] = updated;
            return null;
        }
    }
}
