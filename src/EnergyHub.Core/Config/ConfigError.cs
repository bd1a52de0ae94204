namespace EnergyHub.Core.Config;

/// <summary>One problem in a configuration, printed as one line that says where, what and what is allowed.</summary>
/// <param name="Origin">The file, or the environment variable the value came from.</param>
/// <param name="Line">1-based line in <paramref name="Origin"/>, when the problem has one.</param>
/// <param name="Section">The section, e.g. <c>Device:roof</c>.</param>
/// <param name="Key">The key, when the problem is about one.</param>
/// <param name="Problem">What is wrong.</param>
/// <param name="Allowed">What would be accepted instead.</param>
public sealed record ConfigError(string Origin, int? Line, string Section, string? Key, string Problem, string Allowed)
{
    public override string ToString()
    {
        var where = Line is { } line ? $"{Origin}:{line}" : Origin;
        if (Section.Length == 0 && Key is null)
        {
            return $"{where}: {Problem}. Allowed: {Allowed}.";
        }
        var what = Key is null ? $"[{Section}]" : $"[{Section}] {Key}";
        return $"{where}: {what}: {Problem}. Allowed: {Allowed}.";
    }
}

/// <summary>Thrown when a configuration has problems; carries every one of them.</summary>
public sealed class ConfigException(IReadOnlyList<ConfigError> errors)
    : Exception($"The configuration has {errors.Count} problem(s):{Environment.NewLine}{string.Join(Environment.NewLine, errors)}")
{
    public IReadOnlyList<ConfigError> Errors { get; } = errors;
}
