import StampedeCore

/// Problems found in corpus files, ending in one error line (the count and the first, with its
/// byte offset) and exit 1. `corpus validate` lists each on stdout as it is found; `show` and
/// `stats`, whose stdout is their result, only count them.
struct ProblemTally {
    /// Print each problem on stdout.
    let listing: Bool
    private var count = 0
    private var first: String?

    init(listing: Bool) {
        self.listing = listing
    }

    mutating func add(_ problem: String) {
        count += 1
        if first == nil { first = problem }
        if listing { print(ReportText.abbreviated(problem, limit: ReportText.maxColumns)) }
    }

    /// A file's damage: the regions the reader kept, and the number it only counted.
    mutating func add(_ file: String, _ scan: CorpusScan) {
        if listing {
            for damage in scan.damages { add("\(file): \(damage)") }
        } else if let damage = scan.damages.first {
            add("\(file): \(damage)")
        }
        let unlisted = scan.damageCount - (listing ? scan.damages.count : min(1, scan.damages.count))
        guard unlisted > 0 else { return }
        count += unlisted
        if listing { print("\(file): \(unlisted) more damaged record(s) not listed") }
    }

    func check() throws {
        guard let first else { return }
        // The first problem leads (the line is cut at 200 columns); the count and the hint follow.
        throw CLIError.failure("\(first) (\(count) problem(s)\(listing ? "" : "; see corpus validate"))")
    }
}
