using System.Globalization;
using System.Text.Json;
using EnergyHub.Readings;

namespace EnergyHub.Plugins.Amber;

/// <summary>
/// Turns Amber's <c>/prices/current</c> JSON into a <see cref="PriceSeries"/> in AUD/kWh. Amber's <c>perKwh</c> is what
/// the customer pays on every channel, so feed-in is negated here: <see cref="PriceInterval.FeedInPerKwh"/> is what
/// the owner is paid. Records are keyed by channel and end time (start = end − duration; Amber's starts carry a
/// stray second); for one slot a current interval wins over an actual one, which wins over a forecast, and among
/// equals the later record wins; a longer interval overlapping shorter ones
/// already taken is dropped; unknown types and channels are ignored.
/// </summary>
public static class AmberPrices
{
    private const string Currency = "AUD";

    /// <summary>Parses <paramref name="json"/>; notes about skipped data go to <paramref name="notes"/>.</summary>
    /// <exception cref="FormatException">The JSON is not an array of interval objects.</exception>
    public static PriceSeries Parse(string json, List<string> notes)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"not JSON: {ex.Message}", ex);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"expected a JSON array of intervals, got {document.RootElement.ValueKind}");
            }
            var general = new Dictionary<DateTimeOffset, Record>();
            var feedIn = new Dictionary<DateTimeOffset, Record>();
            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (Record.From(element) is not { } record)
                {
                    continue;
                }
                var slots = record.Channel switch
                {
                    "general" => general,
                    "feedIn" => feedIn,
                    _ => null,
                };
                if (slots is not null && (!slots.TryGetValue(record.End, out var existing) || record.Rank >= existing.Rank))
                {
                    slots[record.End] = record;
                }
            }
            if (general.Count > 0 && feedIn.Count == 0)
            {
                notes.Add("the site has no feed-in channel (no export meter): feed-in prices are 0");
            }

            var intervals = new List<PriceInterval>();
            foreach (var record in general.Values.OrderBy(r => r.Start).ThenBy(r => r.End - r.Start))
            {
                if (intervals.Count > 0 && record.Start < intervals[^1].End)
                {
                    notes.Add($"dropped the {record.DurationMinutes}-minute interval at {record.Start:u}: it overlaps one already taken");
                    continue;
                }
                var paidForExport = feedIn.TryGetValue(record.End, out var export) ? -export.PerKwh / 100 : 0;
                intervals.Add(new PriceInterval(record.Start, record.End, record.PerKwh / 100, paidForExport, record.IsForecast)
                {
                    Descriptor = record.Descriptor,
                    SpikeStatus = record.SpikeStatus,
                    RenewablesPct = record.Renewables is { } r ? Math.Clamp(r, 0, 100) : null,
                    SpotPerKwh = record.SpotPerKwh / 100,
                });
            }
            return new PriceSeries(Currency, intervals);
        }
    }

    private sealed record Record(
        string Type, string Channel, DateTimeOffset End, int DurationMinutes, double PerKwh, double? SpotPerKwh,
        double? Renewables, string? Descriptor, string? SpikeStatus, bool Estimate)
    {
        public DateTimeOffset Start => End.AddMinutes(-DurationMinutes);

        public int Rank => Type switch { "CurrentInterval" => 2, "ActualInterval" => 1, _ => 0 };

        public bool IsForecast => Type == "ForecastInterval" || (Type == "CurrentInterval" && Estimate);

        public static Record? From(JsonElement e)
        {
            var type = Text(e, "type");
            if (type is not ("ActualInterval" or "CurrentInterval" or "ForecastInterval"))
            {
                return null;
            }
            try
            {
                var end = DateTimeOffset.Parse(Text(e, "endTime") ?? throw new FormatException("an interval has no endTime"), CultureInfo.InvariantCulture).ToUniversalTime();
                var minutes = e.GetProperty("duration").GetInt32();
                if (minutes is < 1 or > 1440 || end < DateTimeOffset.MinValue.AddDays(1))
                {
                    throw new FormatException($"an interval of {minutes} minutes ending {end:u} is not a price interval");
                }
                return new Record(
                    type,
                    Text(e, "channelType") ?? "",
                    end,
                    minutes,
                    e.GetProperty("perKwh").GetDouble(),
                    Number(e, "spotPerKwh"),
                    Number(e, "renewables"),
                    Text(e, "descriptor"),
                    Text(e, "spikeStatus"),
                    e.TryGetProperty("estimate", out var estimate) && estimate.ValueKind == JsonValueKind.True);
            }
            catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException)
            {
                throw new FormatException($"an interval lacks duration or perKwh, or has them in the wrong type: {ex.Message}", ex);
            }
        }

        private static string? Text(JsonElement e, string name) =>
            e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static double? Number(JsonElement e, string name) =>
            e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
    }
}
