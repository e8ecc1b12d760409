#if canImport(Glibc)
import CMalloc
#endif

/// Hands the allocator's free pages back to the kernel during a long run.
///
/// A burst of connections (monkeys whose requests make the server close, then reconnect) raises the
/// heap's high-water mark; when the burst ends, glibc keeps the freed pages, so a replay's resident
/// memory steps up with every new peak and never comes down, although nothing is live there
/// (`bench/soak.sh`). `malloc_trim(0)` releases whole free pages from every arena, top and middle.
/// It walks the free lists, a few milliseconds for a heap of a hundred megabytes, so the replay
/// calls it every `interval` seconds of its measured window, not per request.
enum HeapTrim {
    /// Seconds between two trims in the measured window.
    static let interval = 10

    /// Releases free heap pages now; does nothing where the allocator has no such call.
    static func releaseFreePages() {
        #if canImport(Glibc)
        _ = malloc_trim(0)
        #endif
    }
}
