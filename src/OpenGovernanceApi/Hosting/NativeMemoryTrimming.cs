using System.Runtime.InteropServices;

namespace OpenGovernanceApi.Hosting;

/// <summary>
/// Gives the memory that native code has freed back to the system every few seconds (glibc's
/// malloc_trim). SQLite's page caches, the JIT's scratch memory and compression state are allocated
/// with malloc. glibc keeps freed memory in up to 8 arenas per core (16 on 2 cores), one for each
/// thread that allocated first. So a burst of answers computed afresh leaves memory behind in arenas
/// that the next burst, on other threads, does not reuse. Measured (tests/benchmark/NOTES.md): peak
/// memory about 8 MB lower over a hot-then-cold sequence. Each trim takes about 0.2 ms (at most 2).
/// Memory:TrimIntervalSeconds sets the interval; 0 turns it off.
/// </summary>
public sealed class NativeMemoryTrimming(IConfiguration configuration, ILogger<NativeMemoryTrimming> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = configuration.GetValue("Memory:TrimIntervalSeconds", 2.0);
        if (seconds <= 0 || !OperatingSystem.IsLinux()) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) MallocTrim(0);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // Not glibc (musl has no malloc_trim): nothing to trim.
            logger.LogInformation("Native memory is not trimmed: {Reason}", e.Message);
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
