namespace EnergyHub.Core.Config;

/// <summary>Finds the valid name a typo most likely meant.</summary>
public static class NearestName
{
    /// <summary>The closest candidate by edit distance (case-insensitive), or <c>null</c> when none is close.</summary>
    public static string? Find(string typo, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(typo.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        var tolerance = Math.Max(2, typo.Length / 3);
        return bestDistance <= tolerance ? best : null;
    }

    /// <summary>" (did you mean 'x'?)" when a close candidate exists, else an empty string.</summary>
    public static string Hint(string typo, IEnumerable<string> candidates) =>
        Find(typo, candidates) is { } match ? $" (did you mean '{match}'?)" : "";

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
