using System.ComponentModel.DataAnnotations;
using EnergyHub.Options;

namespace EnergyHub.Plugins.GoE;

/// <summary>What a go-e charger does when EnergyHub stops.</summary>
public enum GoESafeState
{
    /// <summary>No charging (v2 frc = 1, v1 alw = 0) until someone decides otherwise.</summary>
    Off,
    /// <summary>The charger's own logic decides again (v2 frc = 0; v1 alw = 1, charging allowed as without EnergyHub).</summary>
    ChargerLogic,
}

/// <summary>The keys of a <c>Driver = goe</c> device: a go-e wallbox on the local network (or go-e's cloud).</summary>
public sealed class GoEOptions : DeviceOptions, IValidatableObject
{
    /// <summary>The charger: 192.168.1.30, 192.168.1.30:8080 or http://192.168.1.30. Empty with Serial + ApiToken = go-e's cloud.</summary>
    public string Host { get; init; } = "";

    /// <summary>Auto (v2 if /api/status answers JSON, else v1), V2 or V1. The local API must be switched on in the go-e app.</summary>
    public GoEApi Api { get; init; } = GoEApi.Auto;

    /// <summary>The charger's serial (6 digits), for the cloud API v2 where the local API is off.</summary>
    [RegularExpression(@"^\d{6}$", ErrorMessage = "six digits, e.g. 012345")]
    public string Serial { get; init; } = "";

    /// <summary>The cloud API key from the go-e app (better: ENERGYHUB_Device__ID__ApiToken).</summary>
    [Secret]
    public string ApiToken { get; init; } = "";

    /// <summary>What the charger does when EnergyHub stops: Off (no charging) or ChargerLogic (its own logic again).</summary>
    public GoESafeState SafeState { get; init; } = GoESafeState.Off;

    /// <summary>The phases the charger is wired for: 1 or 3.</summary>
    [Range(1, 3)]
    public int Phases { get; init; } = 3;

    /// <summary>The highest current EnergyHub may set, A (the fuse, say); the charger's own ama and cable limit apply too.</summary>
    [Range(6, 32)]
    public int MaxCurrentA { get; init; } = 16;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Host.Length == 0 && (Serial.Length == 0 || ApiToken.Length == 0))
        {
            yield return new ValidationResult("set Host (the charger's address on the local network), or Serial and ApiToken for go-e's cloud", [nameof(Host)]);
        }
        if (Host.Length == 0 && Api == GoEApi.V1)
        {
            yield return new ValidationResult("go-e's cloud speaks API v2 only: Api = Auto or V2", [nameof(Api)]);
        }
    }
}
