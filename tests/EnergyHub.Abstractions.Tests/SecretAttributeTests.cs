using EnergyHub.Options;

namespace EnergyHub.Abstractions.Tests;

public sealed class SecretAttributeTests
{
    [TestCase("set-in-environment")]
    [TestCase("set_in_env")]
    [TestCase("CHANGEME")]
    [TestCase("<your api key>")]
    [TestCase("your-secret-here")]
    [TestCase("alphaXXXXXXXXXXXX")]
    [TestCase("...")]
    public void Placeholders_from_example_files_are_refused(string value) =>
        Assert.That(new SecretAttribute().IsValid(value), Is.False);

    [TestCase("psk_0123456789abcdef")]
    [TestCase("0123456789abcdef0123456789abcdef")]
    [TestCase("")]
    public void Real_looking_and_empty_values_pass(string value) =>
        Assert.That(new SecretAttribute().IsValid(value), Is.True, "empty is left to [Required]");
}
