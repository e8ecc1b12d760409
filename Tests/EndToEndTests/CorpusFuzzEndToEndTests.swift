import Foundation
import StampedeCore
import StampedeTestSupport
import Testing

/// #14: damaged corpora through the real binary. Every `validate`, `show` and `mutate` of each
/// exits 0, 1 or 2 with at most one stderr line, and no child goes past 200 MB.
/// `STAMPEDE_CORPUS_FUZZ_COUNT` overrides the number of corpora (default 1,000).
@Suite(.serialized) struct CorpusFuzzEndToEndTests {
    static var count: Int {
        ProcessInfo.processInfo.environment["STAMPEDE_CORPUS_FUZZ_COUNT"].flatMap(Int.init) ?? 1_000
    }

    /// One damaged variant of a sound corpus, chosen and shaped by `index`.
    static func damaged(_ sound: [UInt8], index: Int) throws -> [UInt8] {
        var rng = SeededGenerator(seed: 14, UInt64(index))
        var bytes = sound
        switch index % 6 {
        case 0: bytes.removeLast(rng.next(in: 1...(bytes.count - 1)))
        case 1:
            for _ in 0..<rng.next(in: 1...8) { bytes[rng.next(below: bytes.count)] ^= UInt8(1 << rng.next(below: 8)) }
        case 2: bytes = (0..<rng.next(in: 0...4_096)).map { _ in UInt8(rng.next(below: 256)) }
        case 3:
            // Valid gzip, wrong JSON types in a session record.
            let wrong = [#"{"id":7,"steps":[]}"#, #"{"id":"a","steps":{"x":1}}"#, #"{"id":"a","steps":[{"request":[]}]}"#, #"[1,2,3]"#, #"{"id":"a","weight":"heavy","steps":[]}"#]
            bytes += try Gzip.compressMember(Array(wrong[rng.next(below: wrong.count)].utf8) + [0x0A])
        case 4:
            // A small bomb: one line of a few MB against --max-record 1MiB.
            bytes += try Gzip.compressMember([UInt8](repeating: 0x7B, count: rng.next(in: 2...6) << 20))
        default:
            // Random bytes spliced into the middle.
            let at = rng.next(below: bytes.count)
            bytes.insert(contentsOf: (0..<rng.next(in: 1...64)).map { _ in UInt8(rng.next(below: 256)) }, at: at)
        }
        return bytes
    }

    @Test func damagedCorporaNeverEscape() async throws {
        let dir = NSTemporaryDirectory() + "stampede-corpus-fuzz-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let soundPath = dir + "/sound.corpus"
        try CorpusWriter.writeAtomically(path: soundPath, header: CorpusHeader(baseURL: "http://127.0.0.1:1"), sessions: TestCorpus.sessions)
        let sound = Array(try Data(contentsOf: URL(fileURLWithPath: soundPath)))
        var jobs: [[String]] = []
        for index in 0..<Self.count {
            let path = dir + "/d\(index).corpus"
            try Data(try Self.damaged(sound, index: index)).write(to: URL(fileURLWithPath: path))
            let limit = ["--max-record", "1MiB"]
            jobs += [["corpus", "validate", path] + limit, ["corpus", "show", path] + limit, ["mutate", "--corpus", path, "--count", "2"] + limit]
        }
        let failures = await Self.runAll(jobs, parallel: 4)
        #expect(failures.isEmpty, "\(failures.count) of \(jobs.count) runs misbehaved; first: \(failures.prefix(3))")
    }

    /// Runs every job, `parallel` at a time; returns a line per misbehaving run.
    static func runAll(_ jobs: [[String]], parallel: Int) async -> [String] {
        await withTaskGroup(of: String?.self) { group in
            var failures: [String] = []
            var next = 0
            func add() {
                guard next < jobs.count else { return }
                let job = jobs[next]
                next += 1
                group.addTask { await Self.check(job) }
            }
            for _ in 0..<parallel { add() }
            for await failure in group {
                if let failure { failures.append(failure) }
                add()
            }
            return failures
        }
    }

    static func check(_ job: [String]) async -> String? {
        guard let result = try? await CLIProcess.run(job, timeout: .seconds(60)) else { return "\(job): did not start" }
        let lines = result.stderr.split(separator: "\n")
        if ![0, 1, 2].contains(result.status) { return "\(job): exit \(result.status)" }
        if lines.count > 1 { return "\(job): \(lines.count) stderr lines: \(result.stderr.prefix(300))" }
        if lines.contains(where: { $0.count > 200 }) { return "\(job): a stderr line over 200 columns" }
        if result.peakRSSBytes >= 200 << 20 { return "\(job): peak RSS \(result.peakRSSBytes)" }
        return nil
    }
}
