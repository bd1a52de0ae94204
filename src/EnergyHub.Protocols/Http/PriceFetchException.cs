namespace EnergyHub.Protocols.Http;

/// <summary>A price API could not deliver; <see cref="Exception.Message"/> says why and what to do.</summary>
/// <param name="message">One line for the log, naming the cause and the fix.</param>
/// <param name="retryAfter">How long to wait before asking again (a rate limit's reset), when the API said so.</param>
/// <param name="inner">The underlying error, if any.</param>
public sealed class PriceFetchException(string message, TimeSpan? retryAfter = null, Exception? inner = null) : IOException(message, inner)
{
    /// <summary>How long to wait before the next request, if the API said so.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
