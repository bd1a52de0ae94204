using EnergyHub.Devices;
using EnergyHub.Protocols.Consumers;
using EnergyHub.Protocols.Http;
using EnergyHub.Readings;

namespace EnergyHub.Plugins.Http;

/// <summary>
/// A plug or relay switched by URLs (es-ESS's no-code HTTP consumer) as a switch: its status URL is read every poll
/// (so a device switched by hand is seen, and the command gate switches it back within its re-assert time), its
/// power from the power URL or, without one, <c>OnPowerW</c> while on; it is a Load-role meter of that power. A switch is confirmed by reading the status
/// again. Every request has a timeout (es-ESS's had none).
/// </summary>
public sealed class HttpConsumer(HttpConsumerOptions options, DeviceContext context, HttpMessageHandler? handler = null) : IMeter, ISwitch, IDisposable
{
    private readonly HttpClient _http = PluginHttp.Create(context.Services, "http-consumer", handler);

    /// <inheritdoc />
    public string Id => context.Id;

    /// <inheritdoc />
    /// <remarks>What it draws, + consumed: one sub-circuit of the house.</remarks>
    public MeterRole Role => MeterRole.Load;

    /// <inheritdoc />
    public string DisplayName => options.DisplayName ?? $"HTTP consumer at {options.StatusUrl!.Authority}";

    /// <inheritdoc />
    public async ValueTask<DeviceReading> ReadAsync(CancellationToken cancellationToken)
    {
        var on = NoCodeConsumerText.IsOn(await GetAsync(options.StatusUrl!, "StatusUrl", cancellationToken).ConfigureAwait(false), options.OnRegex);
        var power = options.PowerUrl is { } url
            ? NoCodeConsumerText.Power(await GetAsync(url, "PowerUrl", cancellationToken).ConfigureAwait(false), options.PowerRegex!)
            : on ? options.OnPowerW ?? 0 : 0;
        return new DeviceReading { Timestamp = context.Time.GetUtcNow(), Meter = new MeterReading(power), Consumer = new ConsumerReading(power, on) };
    }

    /// <inheritdoc />
    public async Task SetSwitchAsync(bool on, CancellationToken cancellationToken)
    {
        await GetAsync(on ? options.OnUrl! : options.OffUrl!, on ? "OnUrl" : "OffUrl", cancellationToken).ConfigureAwait(false);
        var now = NoCodeConsumerText.IsOn(await GetAsync(options.StatusUrl!, "StatusUrl", cancellationToken).ConfigureAwait(false), options.OnRegex);
        if (now != on)
        {
            throw new IOException($"{Id}: asked to switch {(on ? "on" : "off")}, its status still reads {(now ? "on" : "off")}; check {(on ? "OnUrl" : "OffUrl")} and OnKeywordRegex");
        }
    }

    private async Task<string> GetAsync(Uri url, string key, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        try
        {
            using var response = await _http.GetAsync(url, timeout.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? body
                : throw new IOException($"{Id}: {key} {url} answered {(int)response.StatusCode}: {(body.Length > 200 ? body[..200] : body)}");
        }
        catch (HttpRequestException ex)
        {
            throw new IOException($"{Id}: {key} {url} does not answer ({ex.Message}); is the device on the network?", ex);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{Id}: {key} {url} did not answer within {options.RequestTimeout.TotalSeconds:0.#} s (RequestTimeout)");
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
