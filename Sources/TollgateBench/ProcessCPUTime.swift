import Foundation

/// User + system CPU time of the whole process, so a benchmark run on a busy machine still says how
/// much work the measured code did (wall time stretches under contention; CPU time doesn't).
public enum ProcessCPUTime {
    /// Seconds of CPU the process has used so far.
    public static func now() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
