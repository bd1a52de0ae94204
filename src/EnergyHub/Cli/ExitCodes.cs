namespace EnergyHub.Cli;

/// <summary>Process exit codes of the energyhub command.</summary>
public static class ExitCodes
{
    /// <summary>Everything worked.</summary>
    public const int Ok = 0;

    /// <summary>Something failed at run time (a device could not be read, a plugin did not load).</summary>
    public const int Failure = 1;

    /// <summary>The configuration is invalid; nothing was started.</summary>
    public const int ConfigInvalid = 2;
}
