namespace EnergyHub.Protocols.Mqtt;

/// <summary>MQTT 3.1.1 topic names and filters: validation and matching (<c>+</c>, <c>#</c>, the <c>$</c> rule).</summary>
public static class MqttTopic
{
    /// <summary>Null when <paramref name="topic"/> may be published to, else why not.</summary>
    public static string? TopicProblem(string topic) => topic switch
    {
        "" => "a topic needs at least one character",
        _ when topic.Contains('+') || topic.Contains('#') => $"'{topic}' contains a wildcard; wildcards are only for subscriptions",
        _ when topic.Contains('\0') => "a topic may not contain U+0000",
        _ when System.Text.Encoding.UTF8.GetByteCount(topic) > 65535 => "a topic may be at most 65535 bytes",
        _ => null,
    };

    /// <summary>Null when <paramref name="filter"/> may be subscribed to, else why not.</summary>
    public static string? FilterProblem(string filter)
    {
        if (filter.Length == 0 || filter.Contains('\0'))
        {
            return "a filter needs at least one character and no U+0000";
        }
        var levels = filter.Split('/');
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            if (level.Contains('#') && (level != "#" || i != levels.Length - 1))
            {
                return $"'{filter}': # must be alone in the last level";
            }
            if (level.Contains('+') && level != "+")
            {
                return $"'{filter}': + must fill a whole level";
            }
        }
        return null;
    }

    /// <summary>Whether <paramref name="topic"/> matches <paramref name="filter"/>.</summary>
    public static bool Matches(string filter, string topic)
    {
        if (topic.StartsWith('$') && (filter.StartsWith('+') || filter.StartsWith('#')))
        {
            return false;
        }
        var f = filter.Split('/');
        var t = topic.Split('/');
        for (var i = 0; i < f.Length; i++)
        {
            if (f[i] == "#")
            {
                return true;
            }
            if (i >= t.Length || (f[i] != "+" && f[i] != t[i]))
            {
                return false;
            }
        }
        return f.Length == t.Length;
    }
}
