#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Nanoseconds of the monotonic clock, for in-process latency (vDSO: no system call).
@inline(__always)
func monotonicNanoseconds() -> UInt64 {
    nanoseconds(of: CLOCK_MONOTONIC)
}

/// The time of `clock` (a POSIX clock: monotonic, a thread's CPU clock, ...) in nanoseconds.
@inline(__always)
func nanoseconds(of clock: clockid_t) -> UInt64 {
    var spec = timespec()
    clock_gettime(clock, &spec)
    return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
}
