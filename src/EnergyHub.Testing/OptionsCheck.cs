using System.ComponentModel.DataAnnotations;

namespace EnergyHub.Testing;

/// <summary>
/// Checks a plugin's options the way the host does before it starts anything ([Required], [Range], other validation
/// attributes, then <see cref="IValidatableObject"/> rules), without a config file or a host.
/// </summary>
public static class OptionsCheck
{
    /// <summary>Every problem with <paramref name="options"/> as "Key: message"; empty when they are valid.</summary>
    public static IReadOnlyList<string> Problems(object options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        if (results.Count == 0 && options is IValidatableObject validatable)
        {
            results.AddRange(validatable.Validate(new ValidationContext(options)));
        }
        return results.Select(r => $"{string.Join(", ", r.MemberNames)}: {r.ErrorMessage}").ToList();
    }
}
