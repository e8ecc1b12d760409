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
package enum HeapTrim {
    /// Seconds between two trims in the measured window.
    static let interval = 10

    /// Makes every thread allocate from glibc's one main arena; call it before threads start.
    ///
    /// By default each thread that allocates gets an arena of its own (up to 8 per core). The
    /// engine's threads and the concurrency pool then each keep a heap, and memory freed by one
    /// thread stays in the arena of the thread that allocated it: `bench/soak.sh` saw two arenas of
    /// about 19 MB each where the live heap was 27 MB, and RSS that rose 7–12 % after the first
    /// minute. With one arena it rose 3.5 % and 6.6 %. Per-thread caches (tcache) still serve small
    /// allocations without the arena's lock; `bench/replay.sh` measures what the lock costs.
    package static func useOneArena() {
        #if canImport(Glibc)
        _ = mallopt(M_ARENA_MAX, 1)
        #endif
    }

    /// Releases free heap pages now; does nothing where the allocator has no such call.
    static func releaseFreePages() {
        #if canImport(Glibc)
        _ = malloc_trim(0)
        #endif
    }
}
