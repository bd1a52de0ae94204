using System.Globalization;

namespace EnergyHub.Plugins.AlphaEss;

/// <summary>
/// When the next request to the AlphaESS API may go: one per <see cref="AlphaEssOptions.MinRequestInterval"/>, counted
/// across restarts. The last request's time is kept in the device's DataDir when the device is closed, so a restart
/// within the interval waits out the rest instead of getting 6053 and no data at start-up (after a crash systemd waits
/// RestartSec = 10 s anyway, so the file is not written on every request). A kept time later than now (a clock that
/// started again, as a replayed demo's does) is ignored.
/// </summary>
internal sealed class AlphaEssRequestClock(string file, TimeSpan interval)
{
    /// <summary>The earliest time of the next request, from what a previous process kept; null when it may go now.</summary>
    public DateTimeOffset? KeptNext(DateTimeOffset now)
    {
        try
        {
            if (File.Exists(file) && DateTimeOffset.TryParse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var last)
                && last <= now && last + interval > now)
            {
                return last + interval;
            }
        }
        catch (IOException)
        {
            // Unreadable: the API's 6053 and the back-off still hold.
        }
        return null;
    }

    /// <summary>Keeps <paramref name="at"/> as the last request's time; a DataDir that cannot be written only loses the memory.</summary>
    public void Keep(DateTimeOffset at)
    {
        try
        {
            File.WriteAllText(file, at.ToString("O", CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
