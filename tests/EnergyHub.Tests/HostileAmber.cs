using System.Text.RegularExpressions;
using EnergyHub.Plugins.Simulator.Emulators;

namespace EnergyHub.Tests;

/// <summary>
/// Stands between the Amber driver and the Amber emulator and rewrites every price's <c>descriptor</c> to markup that
/// runs script if a page ever renders it as HTML: what a hijacked or impersonated cloud API could send.
/// </summary>
internal sealed partial class HostileAmber(Uri upstream) : HttpEmulator
{
    public const string Payload = "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script><b>bold</b>";
    // Written by hand: a serializer would escape < and > as \u003C, and an attacker's server would not.
    private static readonly string Raw = $"\"descriptor\":\"{Payload.Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
    private readonly HttpClient _http = new() { BaseAddress = upstream };

    protected override EmulatorResponse Answer(string pathAndQuery, Func<string, string?> header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery.TrimStart('/'));
        request.Headers.TryAddWithoutValidation("Authorization", header("Authorization"));
        using var response = _http.Send(request);
        var body = new StreamReader(response.Content.ReadAsStream()).ReadToEnd();
        return new EmulatorResponse((int)response.StatusCode, Descriptor().Replace(body, Raw));
    }

    [GeneratedRegex("\"descriptor\":\"[^\"]*\"")]
    private static partial Regex Descriptor();
}
