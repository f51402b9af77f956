namespace Omnichannel.Routing.Abstractions;

/// <summary>
/// Whether this silo has finished its first recovery pass. Until then, in durable mode, queues may not have their
/// waiting lines back and agents' timers may not run, so readiness (gRPC health) answers NOT_SERVING. The embedded
/// default has nothing to recover and is recovered as soon as the silo is active. The grains' recovery completes it;
/// the API's health reads it (here, so that the API needs only the grains' contracts).
/// </summary>
public sealed class RecoveryStatus
{
    private readonly TaskCompletionSource _recovered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsRecovered => _recovered.Task.IsCompleted;

    /// <summary>Completes when the first pass is done; it never fails.</summary>
    public Task Recovered => _recovered.Task;

    public void MarkRecovered() => _recovered.TrySetResult();
}
