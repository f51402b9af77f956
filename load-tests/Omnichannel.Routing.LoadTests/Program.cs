using System.Runtime.InteropServices;
using Omnichannel.Routing.LoadTests;

// Ctrl+C or SIGTERM stops the run cleanly: the servers it started are stopped and its PostgreSQL removed.
using var cancel = new CancellationTokenSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
return await LoadProgram.RunAsync(args, Console.Out, cancel.Token).ConfigureAwait(false);

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    cancel.Cancel();
}
