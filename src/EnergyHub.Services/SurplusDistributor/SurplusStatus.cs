namespace EnergyHub.Services.SurplusDistributor;

/// <summary>What the surplus distributor shows (<c>GET /api/surplus</c>): its last cycle and every consumer.</summary>
/// <param name="CycleAt">When the cycle ran.</param>
/// <param name="SurplusW">The surplus counted, W.</param>
/// <param name="ReservationW">Kept for the battery, W.</param>
/// <param name="AssignedW">Handed out, W.</param>
/// <param name="RemainingW">Not handed out, W.</param>
/// <param name="Consumers">Every consumer, in priority order.</param>
public sealed record SurplusStatus(DateTimeOffset CycleAt, double SurplusW, double ReservationW, double AssignedW, double RemainingW,
    IReadOnlyList<SurplusConsumerStatus> Consumers);

/// <summary>One consumer in <see cref="SurplusStatus"/>.</summary>
/// <param name="Key">Its device id.</param>
/// <param name="Name">For people.</param>
/// <param name="Kind">switch, allowance or device (neither).</param>
/// <param name="Automatic">Whether it takes part.</param>
/// <param name="Priority">Its priority (lower first).</param>
/// <param name="RequestW">The most it asks for, W.</param>
/// <param name="AllowanceW">What it was given, W.</param>
/// <param name="ConsumptionW">What it draws, W.</param>
/// <param name="Why">Why it got what it got.</param>
/// <param name="Statistics">Its runtime and energy today, yesterday and in total.</param>
public sealed record SurplusConsumerStatus(string Key, string Name, string Kind, bool Automatic, double Priority, double RequestW, double AllowanceW,
    double ConsumptionW, string Why, ConsumerStatistics Statistics);
