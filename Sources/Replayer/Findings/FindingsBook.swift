import Foundation
import StampedeClient
import StampedeCore
import Synchronization

/// Thread-safe collection of findings, grouped by signature.
///
/// Only the first hit of a signature builds its example (curl rendering, excerpt); later hits
/// bump a counter. The number of distinct signatures is capped so memory stays flat.
final class FindingsBook: Sendable {
    static let maxFindings = 1_000

    private struct State: Sendable {
        var bySignature: [String: Finding] = [:]
        /// What triage needs to re-send each finding's example as a template.
        var seeds: [String: TriageSeed] = [:]
        var order: [String] = []
        var dropped = 0
    }

    private let state = Mutex(State())
    private let start: ContinuousClock.Instant

    init(start: ContinuousClock.Instant) {
        self.start = start
    }

    /// Records a hit; `example` is evaluated only for a new signature.
    func record(
        signature: FailureSignature, failureClass: FailureClass, failure: String, method: String,
        endpoint: String, source: ClientKind, at instant: ContinuousClock.Instant,
        example: () -> FindingExample, seed: () -> TriageSeed? = { nil }
    ) {
        let now = ISO8601.string(from: Date())
        let known = state.withLock { s -> Bool in
            guard s.bySignature[signature.value] != nil else { return false }
            s.bySignature[signature.value]?.hits += 1
            s.bySignature[signature.value]?.lastSeen = now
            return true
        }
        if known { return }
        let built = example()
        let triageSeed = seed()
        let offset = (instant - start) / .seconds(1)
        state.withLock { s in
            if s.bySignature[signature.value] != nil {
                s.bySignature[signature.value]?.hits += 1
                return
            }
            guard s.order.count < Self.maxFindings else {
                s.dropped += 1
                return
            }
            s.order.append(signature.value)
            if let triageSeed { s.seeds[signature.value] = triageSeed }
            s.bySignature[signature.value] = Finding(
                signature: signature.value, failureClass: failureClass, failure: failure, method: method,
                endpoint: endpoint, source: source, hits: 1, firstSeen: now, lastSeen: now,
                firstSeenOffset: (offset * 1000).rounded() / 1000, fingerprint: signature.fingerprint,
                example: built, confirmed: nil, reproduceRate: nil, minimized: false, minimal: nil)
        }
    }

    var count: Int { state.withLock { $0.order.count } }

    /// The triage seed of each finding that has one, by signature.
    func seeds() -> [String: TriageSeed] { state.withLock { $0.seeds } }

    /// Findings in order of first appearance, and how many signatures did not fit.
    func all() -> (findings: [Finding], dropped: Int) {
        state.withLock { s in (s.order.compactMap { s.bySignature[$0] }, s.dropped) }
    }
}
