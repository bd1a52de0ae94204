using System.CommandLine;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EnergyHub.Core.Config;

namespace EnergyHub.Cli;

/// <summary>
/// <c>energyhub set SERVICE SETTING VALUE</c>: changes a setting of the running site (e.g. <c>BatteryScheduler
/// ChargeNowToPct 80</c>) through its HTTP API, with the key the config names or <c>energyhub run</c> generated.
/// </summary>
public static class SetCommand
{
    public static Command Create(Option<string[]> pluginDirs)
    {
        var service = new Argument<string>("service") { Description = "The service, as [Services] names it, e.g. BatteryScheduler." };
        var setting = new Argument<string>("setting") { Description = "The setting, e.g. ChargeNowToPct (docs/services/ describes each service's settings)." };
        var value = new Argument<string>("value") { Description = "The new value, e.g. 80." };
        var config = new Option<string?>("--config") { Description = "The config.ini of the running site (default: $ENERGYHUB_CONFIG, ./config.ini, the demo site): its [Web] address and port, and its API key." };
        var url = new Option<string?>("--url") { Description = "The running site's address instead of the config's, e.g. http://192.168.1.20:8080." };
        var command = new Command("set", "Change a setting of the running site, e.g. `energyhub set BatteryScheduler ChargeNowToPct 80` (charge the battery now to 80 %); "
            + "the change is checked, applied at once and journaled, as from the page.")
        {
            service, setting, value, config, url,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var located = ConfigLocator.Locate(parse.GetValue(config));
            using var loggers = Bootstrap.ConsoleLoggers(Microsoft.Extensions.Logging.LogLevel.Warning);
            if (Bootstrap.TryLoad(Bootstrap.Loader(loggers, parse.GetValue(pluginDirs) ?? []), located.Path) is not { } loaded)
            {
                return ExitCodes.ConfigInvalid;
            }
            using var catalog = loaded.Catalog;
            var site = loaded.Config;
            if (!site.Web.Enabled && parse.GetValue(url) is null)
            {
                Console.Error.WriteLine($"{located.Path}: [Web] Enabled = false, so the running site has no API to change a setting through; enable it, or give --url.");
                return ExitCodes.ConfigInvalid;
            }
            if (Web.Security.GeneratedApiKey.Existing(site.Web, site.DataDir)?.Key is not { } key)
            {
                Console.Error.WriteLine($"No API key: `energyhub run` generates one into {Path.Combine(site.DataDir, Web.Security.GeneratedApiKey.FileName)} on its first start; "
                    + $"start it once, or set [Web] ApiKey in {located.Path}.");
                return ExitCodes.Failure;
            }
            var address = parse.GetValue(url)?.TrimEnd('/') ?? $"http://{HostOf(site.Web.Address)}:{site.Web.Port}";
            var (name, what, text) = (parse.GetValue(service)!, parse.GetValue(setting)!, parse.GetValue(value)!);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            http.DefaultRequestHeaders.Add(Web.Security.ApiKeyCheck.Header, key);
            HttpResponseMessage response;
            try
            {
                response = await http.PutAsJsonAsync($"{address}/api/services/{Uri.EscapeDataString(name)}/settings/{Uri.EscapeDataString(what)}", text, cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                Console.Error.WriteLine($"Nothing answers on {address} ({ex.Message}): is `energyhub run --config {located.Path}` running? Give --url for a site elsewhere.");
                return ExitCodes.Failure;
            }
            using (response)
            {
                if (response.IsSuccessStatusCode)
                {
                    Console.WriteLine($"{name} {what} = {text}: applied and journaled.");
                    return ExitCodes.Ok;
                }
                var detail = await Detail(response, cancellationToken);
                Console.Error.WriteLine(response.StatusCode == HttpStatusCode.Unauthorized
                    ? $"{address} refused the key ({detail}); is it the site of {located.Path}?"
                    : $"{name} {what} = {text} was refused: {detail}");
                return response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound ? ExitCodes.ConfigInvalid : ExitCodes.Failure;
            }
        });
        return command;
    }

    // A site listening on every address is reached on this machine's loopback.
    private static string HostOf(string address) => address is "0.0.0.0" or "::" or "*" or "+" ? "127.0.0.1" : address.Contains(':') ? $"[{address}]" : address;

    private static async Task<string> Detail(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() ?? body : body;
        }
        catch (JsonException)
        {
            return body.Length > 0 ? body : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
