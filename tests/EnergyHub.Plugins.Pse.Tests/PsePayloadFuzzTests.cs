using CsCheck;
using EnergyHub.TestSupport;

namespace EnergyHub.Plugins.Pse.Tests;

/// <summary>Whatever PSE's API (or something pretending to be it) sends, a page parses or is a FormatException.</summary>
public sealed class PsePayloadFuzzTests
{
    [Test]
    public void Any_page_parses_or_is_a_format_error()
    {
        HostileJson.For("value", "business_date", "dtime_utc", "dtime", "period", "period_utc", "csdac_pln", "rce_pln", "nextLink", "error", "message")
            .Sample(json =>
            {
                try
                {
                    PseRows.Parse(json, "csdac_pln");
                }
                catch (FormatException)
                {
                }
            }, iter: 5000);
    }
}
