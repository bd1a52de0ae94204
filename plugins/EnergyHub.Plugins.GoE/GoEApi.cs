namespace EnergyHub.Plugins.GoE;

/// <summary>Which local HTTP API a go-e charger speaks.</summary>
public enum GoEApi
{
    /// <summary>v2 if <c>/api/status?filter=alw</c> answers JSON, else v1.</summary>
    Auto,
    /// <summary>Typed JSON, <c>/api/status</c> and <c>/api/set</c> (Charger V3/V4, Gemini; firmware 051 and later).</summary>
    V2,
    /// <summary>Strings, <c>/status</c> and <c>/mqtt?payload=</c> one key per call (every hardware generation).</summary>
    V1,
}

/// <summary>go-e's own car state code (<c>car</c>).</summary>
public enum GoECarCode
{
    /// <summary>0: unknown, or an error.</summary>
    Unknown = 0,
    /// <summary>1: ready, no car.</summary>
    Idle = 1,
    /// <summary>2: charging.</summary>
    Charging = 2,
    /// <summary>3: a car is connected and waiting.</summary>
    WaitCar = 3,
    /// <summary>4: charging finished, the car is still connected.</summary>
    Complete = 4,
    /// <summary>5: error.</summary>
    Error = 5,
    /// <summary>6: initializing (firmware 60).</summary>
    Initializing = 6,
}

/// <summary>go-e's force state (<c>frc</c>, v2).</summary>
public enum GoEForce
{
    /// <summary>0: the charger's own logic decides.</summary>
    Neutral = 0,
    /// <summary>1: never charge.</summary>
    Off = 1,
    /// <summary>2: charge now.</summary>
    On = 2,
}
