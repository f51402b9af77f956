using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Omnichannel.Routing.Storage.GrainState;

/// <summary>
/// Group commit for grain state: reads and writes from every grain are queued, and a writer takes everything pending
/// into one transaction (reads first, then writes, in one round trip), answering each caller when that transaction
/// commits. A write whose version does not match refuses only its own caller: every write is conditional and says
/// by its answer whether it matched, so nothing in the transaction fails because of it.
/// </summary>
public sealed partial class StateCommitter : IAsyncDisposable
{
    private const string DeadlockDetected = "40P01";

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresStorageOptions _options;
    private readonly ILogger<StateCommitter> _logger;
    private readonly Channel<StateOperation> _pending = Channel.CreateUnbounded<StateOperation>();
    private readonly Task[] _writers;
    private long _commits;
    private long _operations;

    public StateCommitter(NpgsqlDataSource dataSource, IOptions<PostgresStorageOptions> options, ILogger<StateCommitter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dataSource = dataSource;
        _options = options.Value;
        _logger = logger;
        _writers = [.. Enumerable.Range(0, Math.Max(1, _options.StateWriters)).Select(_ => Task.Run(WriteLoopAsync))];
    }

    /// <summary>Transactions committed so far.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Reads and writes answered by those transactions.</summary>
    public long Operations => Interlocked.Read(ref _operations);

    internal Task<StoredState?> EnqueueAsync(StateOperation operation)
    {
        if (!_pending.Writer.TryWrite(operation))
        {
            throw new InvalidOperationException("The grain storage is shutting down.");
        }

        return operation.Done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<StateOperation>();
        while (await _pending.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < _options.MaxBatchOperations && _pending.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            // Reads first, so each sees the state as committed before this transaction; writes in key order.
            var ordered = batch.Where(o => o.IsRead).Concat(batch.Where(o => !o.IsRead).OrderBy(o => o.StateKey)).ToList();
            try
            {
                var results = await CommitWithOneRetryAsync(ordered);
                Interlocked.Increment(ref _commits);
                Interlocked.Add(ref _operations, ordered.Count);
                for (var i = 0; i < ordered.Count; i++)
                {
                    ordered[i].Done.TrySetResult(results[i]);
                }
            }
            catch (Exception e)
            {
                LogCommitFailed(ordered.Count, ordered.Sum(o => o.EventCount), e);
                foreach (var operation in ordered)
                {
                    operation.Done.TrySetException(e);
                }
            }
        }
    }

    // Two writers' transactions can still meet on the event log's projection rows; PostgreSQL then aborts one. The
    // aborted one stored nothing, so running it again is safe.
    private async Task<StoredState?[]> CommitWithOneRetryAsync(List<StateOperation> operations)
    {
        try
        {
            return await CommitAsync(operations);
        }
        catch (PostgresException e) when (e.SqlState == DeadlockDetected)
        {
            return await CommitAsync(operations);
        }
    }

    private async Task<StoredState?[]> CommitAsync(List<StateOperation> operations)
    {
        var results = new StoredState?[operations.Count];
        await using var connection = await _dataSource.OpenConnectionAsync();
        // No explicit transaction: PostgreSQL runs a batch as one implicit transaction, committed at its end.
        await using var batch = new NpgsqlBatch(connection);
        foreach (var operation in operations)
        {
            batch.BatchCommands.Add(operation.ToCommand());
        }

        // Every result is read and the reader closed before anyone is answered: rows arrive before the commit does.
        await using (var reader = await batch.ExecuteReaderAsync())
        {
            for (var i = 0; i < operations.Count; i++)
            {
                if (await reader.ReadAsync())
                {
                    var payload = operations[i].IsRead && !await reader.IsDBNullAsync(1) ? await reader.GetFieldValueAsync<byte[]>(1) : null;
                    results[i] = new StoredState(reader.GetInt64(0), payload);
                }

                await reader.NextResultAsync();
            }
        }

        return results;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain storage: a transaction of {Operations} read(s) and write(s), {Events} event(s) failed; its callers are refused")]
    private partial void LogCommitFailed(int operations, int events, Exception exception);
}
