namespace EnergyHub.Protocols.Modbus;

/// <summary>
/// Carries one request PDU to a unit and returns its response PDU (which may be an exception response).
/// Implementations serialize requests: never two on the wire at once.
/// </summary>
public interface IModbusTransport : IAsyncDisposable
{
    /// <summary>Sends <paramref name="request"/> to <paramref name="unitId"/> and returns the response PDU.</summary>
    /// <exception cref="TimeoutException">No complete response within the transport's timeout.</exception>
    /// <exception cref="IOException">The connection broke or the frame was malformed.</exception>
    Task<byte[]> SendAsync(byte unitId, byte[] request, CancellationToken cancellationToken);
}
