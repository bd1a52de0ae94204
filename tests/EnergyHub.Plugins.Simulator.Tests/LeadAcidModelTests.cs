using EnergyHub.Plugins.Simulator.OffGrid;

namespace EnergyHub.Plugins.Simulator.Tests;

public sealed class LeadAcidModelTests
{
    private static readonly TimeSpan TenSeconds = TimeSpan.FromSeconds(10);

    [Test]
    public void A_weak_source_charges_below_the_target_voltage_and_a_strong_one_is_held_to_the_acceptance()
    {
        var weak = new LeadAcidBank(400, 24, 50);
        weak.Step(TenSeconds, 20, 58.4, 0);
        Assert.That((weak.CurrentA, weak.VoltageV), Is.EqualTo((20.0, 56.775)).Within(0.01), "2.43 + 0.04 × ln(20 / 100) V per cell");

        var strong = new LeadAcidBank(400, 24, 90);
        strong.Step(TenSeconds, 200, 58.32, 0);
        Assert.That((strong.CurrentA, strong.VoltageV), Is.EqualTo((50.0, 58.32)).Within(0.01), "C/4 × half full");
    }

    [Test]
    public void At_float_voltage_a_nearly_full_bank_takes_almost_nothing()
    {
        var bank = new LeadAcidBank(400, 24, 95);
        Assert.That(bank.AcceptanceA(52.8), Is.LessThan(0.1));
        Assert.That(bank.AcceptanceA(58.32), Is.EqualTo(25).Within(0.01));
    }

    [Test]
    public void Charge_and_discharge_move_the_soc_by_the_ampere_hours_with_charge_losses()
    {
        var bank = new LeadAcidBank(100, 24, 50);
        bank.Step(TimeSpan.FromHours(1), 10, 58.4, 0);
        Assert.That((bank.SocPct, bank.ChargedAh), Is.EqualTo((59.0, 10.0)).Within(1e-9), "90 % charge efficiency");
        bank.Step(TimeSpan.FromHours(1), 0, 58.4, 10);
        Assert.That((bank.SocPct, bank.CurrentA), Is.EqualTo((49.0, -10.0)).Within(1e-9));
    }

    [Test]
    public void The_firmware_leaves_absorption_below_a_fifth_of_its_maximum_current_even_when_the_bank_is_not_full()
    {
        var charger = FirmwareCharger.Axpert48V();
        var bank = new LeadAcidBank(400, 24, 85);
        bank.Step(TenSeconds, 200, charger.TargetV, 0);
        charger.Observe(bank);
        Assert.That(charger.Current, Is.EqualTo(FirmwareCharger.Stage.Absorption));
        bank.Step(TenSeconds, 11, charger.TargetV, 0);
        charger.Observe(bank);
        Assert.That((charger.Current, charger.TargetV), Is.EqualTo((FirmwareCharger.Stage.Float, 52.8)), "11 A < 60 A / 5 though the bank is at 85 %");
        charger.FloatVoltageV = 58.4;
        Assert.That(charger.TargetV, Is.EqualTo(58.4), "PBFT = absorption keeps it absorbing: what the service does");
    }
}
