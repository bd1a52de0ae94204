using System.Globalization;
using System.Text.Json;

namespace EnergyHub.Plugins.Shelly;

/// <summary>
/// Keeps a <see cref="NetEnergyCounter"/>'s pair on disk (<c>net-energy.json</c> in the device's data directory),
/// written atomically (write, then rename), so the counters survive restarts.
/// </summary>
/// <param name="path">The file.</param>
public sealed class NetEnergyFile(string path)
{
    /// <summary>The file.</summary>
    public string Path => path;

    /// <summary>Writes the pair.</summary>
    public void Save(double importWh, double exportWh, DateTimeOffset savedAt)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(new Entry(importWh, exportWh, savedAt)));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The pair kept, or null when there is none yet; <paramref name="now"/> names a file moved aside.</summary>
    /// <exception cref="InvalidDataException">The file is there but cannot be read; it has been moved aside to <c>.bad</c>.</exception>
    public (double ImportWh, double ExportWh)? Load(DateTimeOffset now)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            var entry = JsonSerializer.Deserialize<Entry>(File.ReadAllText(path));
            if (entry is { ImportWh: >= 0, ExportWh: >= 0 } && double.IsFinite(entry.ImportWh) && double.IsFinite(entry.ExportWh))
            {
                return (entry.ImportWh, entry.ExportWh);
            }
            throw new JsonException("the counters are missing or negative");
        }
        catch (Exception ex) when (ex is JsonException or IOException)
        {
            var bad = path + "." + now.UtcDateTime.ToString("yyyyMMddTHHmmss", CultureInfo.InvariantCulture) + ".bad";
            File.Move(path, bad);
            throw new InvalidDataException($"{path} could not be read ({ex.Message}); it is kept as {bad}", ex);
        }
    }

    private sealed record Entry(double ImportWh, double ExportWh, DateTimeOffset SavedAt);
}
