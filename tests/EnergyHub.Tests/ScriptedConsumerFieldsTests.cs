using EnergyHub.Plugins.Mqtt;

namespace EnergyHub.Tests;

/// <summary>An es-ESS script's fields, one topic each, as the <c>mqtt-scripted-consumer</c> device applies them.</summary>
public sealed class ScriptedConsumerFieldsTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [TestCase("IsAutomatic", "true", nameof(ScriptedConsumerFields.IsAutomatic), true)]
    [TestCase("IsAutomatic", "ON", nameof(ScriptedConsumerFields.IsAutomatic), true)]
    [TestCase("IsScriptedConsumer", "1", nameof(ScriptedConsumerFields.IsScriptedConsumer), true)]
    [TestCase("Request", "2400", nameof(ScriptedConsumerFields.RequestW), 2400.0)]
    [TestCase("Minimum", " 600 ", nameof(ScriptedConsumerFields.MinimumW), 600.0)]
    [TestCase("StepSize", "230", nameof(ScriptedConsumerFields.StepW), 230.0)]
    [TestCase("Priority", "-5", nameof(ScriptedConsumerFields.Priority), -5.0)]
    [TestCase("Consumption", "-20", nameof(ScriptedConsumerFields.ConsumptionW), 0.0)]
    [TestCase("CustomName", "Pool pump", nameof(ScriptedConsumerFields.CustomName), "Pool pump")]
    public void A_field_sets_its_value(string field, string payload, string property, object expected)
    {
        var (fields, problem) = new ScriptedConsumerFields().Apply(field, payload, Now);
        Assert.That(problem, Is.Null);
        Assert.That(typeof(ScriptedConsumerFields).GetProperty(property)!.GetValue(fields), Is.EqualTo(expected));
    }

    [TestCase("IsAutomatic", "maybe", "IsAutomatic: 'maybe' is not true or false")]
    [TestCase("Request", "-1", "Request: '-1' is not a number of 0 or more")]
    [TestCase("Priority", "first", "Priority: 'first' is not a number of 0 or more")]
    public void A_value_the_field_does_not_take_keeps_the_last_one_and_says_why(string field, string payload, string expected)
    {
        var before = new ScriptedConsumerFields { RequestW = 600, Priority = 10 };
        var (fields, problem) = before.Apply(field, payload, Now);
        Assert.That((fields, problem), Is.EqualTo((before, expected)));
    }

    [TestCase("Allowance", "600")]
    [TestCase("VRMInstanceID", "1001")]
    [TestCase("Request", "")]
    public void What_EnergyHub_sends_itself_fields_for_others_and_empty_payloads_change_nothing(string field, string payload)
    {
        var before = new ScriptedConsumerFields { RequestW = 600 };
        Assert.That(before.Apply(field, payload, Now), Is.EqualTo((before, (string?)null)));
    }

    [Test]
    public void A_new_script_has_es_ess_defaults_and_its_consumption_remembers_when_it_was_said()
    {
        var fields = new ScriptedConsumerFields();
        Assert.That((fields.Priority, fields.IsAutomatic, fields.IsScriptedConsumer, fields.RequestW), Is.EqualTo((100.0, false, false, 0.0)));
        Assert.That(fields.Apply("Consumption", "450", Now).Fields.ConsumptionAt, Is.EqualTo(Now));
    }
}
