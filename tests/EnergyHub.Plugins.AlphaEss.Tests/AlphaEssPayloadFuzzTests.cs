using CsCheck;
using EnergyHub.TestSupport;

namespace EnergyHub.Plugins.AlphaEss.Tests;

/// <summary>Whatever the AlphaESS cloud (or something pretending to be it) sends, an envelope is data, an API error or a FormatException.</summary>
public sealed class AlphaEssPayloadFuzzTests
{
    [Test]
    public void Any_envelope_is_data_an_api_error_or_a_format_error()
    {
        HostileJson.For("code", "msg", "data", "sysSn", "cobat", "pbat", "pgrid", "pload", "ppv", "soc")
            .Sample(json =>
            {
                try
                {
                    AlphaEssApi.Data(json);
                }
                catch (Exception ex) when (ex is FormatException or AlphaEssException)
                {
                }
            }, iter: 5000);
    }
}
