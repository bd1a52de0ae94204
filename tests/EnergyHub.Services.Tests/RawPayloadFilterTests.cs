using EnergyHub.Services.ExportGuard;

namespace EnergyHub.Services.Tests;

public sealed class RawPayloadFilterTests
{
    [Test]
    public void On_change_stores_a_payload_only_when_it_differs_from_the_last_stored_one_per_source()
    {
        var filter = new RawPayloadFilter("on_change");
        Assert.That(filter.Take("battery", "{\"soc\":50}"), Is.EqualTo("{\"soc\":50}"));
        Assert.That(filter.Take("battery", "{\"soc\":50}"), Is.Null, "unchanged");
        Assert.That(filter.Take("prices", "{\"soc\":50}"), Is.Not.Null, "each source on its own");
        Assert.That(filter.Take("battery", "{\"soc\":51}"), Is.EqualTo("{\"soc\":51}"));
        Assert.That(filter.Take("battery", null), Is.Null);
    }

    [Test]
    public void Always_and_never_mean_what_they_say()
    {
        var always = new RawPayloadFilter("always");
        var never = new RawPayloadFilter("never");
        Assert.That(new[] { always.Take("b", "x"), always.Take("b", "x") }, Is.EqualTo(new[] { "x", "x" }));
        Assert.That(never.Take("b", "x"), Is.Null);
    }
}
