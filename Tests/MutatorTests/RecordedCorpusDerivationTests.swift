import Foundation
import Mutator
import StampedeCore
import StampedeHTTP
import Testing

/// Pins every mutant's full record (parent, operations with their details and seeds, wire bytes)
/// on the recorded demo corpus, in both derivation modes and several configurations. The hashes
/// were computed before the mutator's speed work (2026-11-30): caches and fast paths must not
/// change a single mutant. They were computed again once, on purpose, when a path operation that
/// leaves the monkey scope started to be taken back instead of the whole mutant being made again
/// (session 8): the `.any` configuration, which nothing leaves, kept its hashes.
@Suite struct RecordedCorpusDerivationTests {
    static let corpus: [Session] = {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("corpora/demo/baseline.corpus").path
        return (try? Corpus.load(path: path).sessions) ?? []
    }()

    static func record(_ m: Mutant) -> [UInt8] {
        var out = Array("\(m.parentSession)/\(m.parentStep)/\(m.seed)\n".utf8)
        for op in m.operations { out += Array("\(op.name)|\(op.detail)|\(op.seed)\n".utf8) }
        return out + wireBytes(m.mutatedRequest)
    }

    /// Configurations with the hashes of 20,000 mutants from `mutant(session:step:seed:)` and from
    /// `nextMutant(seed:)` with feedback and learning.
    static let configurations: [(MutatorConfiguration, pure: UInt64, steered: UInt64)] = [
        (MutatorConfiguration(), 14_609_218_684_276_722_753, 8_248_567_566_888_308_165),
        (MutatorConfiguration(scope: .recorded), 11_240_245_197_882_337_053, 13_593_121_931_115_488_292),
        (MutatorConfiguration(maximumStack: 8, scope: .any), 9_331_941_397_016_132_184, 12_686_214_259_932_764_592),
        (MutatorConfiguration(adaptive: false, discovery: false, firstPass: false), 14_609_218_684_276_722_753, 9_687_645_362_112_703_253),
    ]

    static func pureHash(_ configuration: MutatorConfiguration, count: UInt64) -> UInt64 {
        let mutator = Mutator(sessions: corpus, configuration: configuration)
        let parents = corpus.enumerated().flatMap { s, session in session.steps.indices.map { (s, $0) } }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for seed in 0..<count {
            let (s, t) = parents[Int(seed % UInt64(parents.count))]
            hash = fnv1a(record(mutator.mutant(session: s, step: t, seed: seed &* 0x9E37_79B9)), hash)
        }
        return hash
    }

    static func steeredHash(_ configuration: MutatorConfiguration, count: UInt64) -> UInt64 {
        let mutator = Mutator(sessions: corpus, configuration: configuration)
        let links = #"{"id":"4f1c","href":"/api/v1/scripts/4f1c/runs","state":"queued","url":"/api/v1/version"}"#
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for seed in 0..<count {
            let mutant = mutator.nextMutant(seed: seed &* 0x2545_F491)
            hash = fnv1a(record(mutant), hash)
            mutator.feedback(mutant, outcome: MutationOutcome(endpoint: "e\(seed % 7)", status: 400, shape: seed % 61))
            if seed % 500 == 0 {
                mutator.learn(from: ObservedResponse(status: 201, headers: [HTTPHeader("ETag", "\"v\(seed)\"")], body: Array(links.utf8)))
            }
        }
        return hash
    }

    @Test func corpusLoads() {
        #expect(Self.corpus.count > 3)
    }

    @Test(arguments: configurations.indices) func derivationOnTheRecordedCorpusIsUnchanged(_ index: Int) {
        let (configuration, pure, steered) = Self.configurations[index]
        #expect(Self.pureHash(configuration, count: 20_000) == pure)
        #expect(Self.steeredHash(configuration, count: 20_000) == steered)
    }
}
