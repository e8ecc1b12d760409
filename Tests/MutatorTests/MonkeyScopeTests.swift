import StampedeCore
import Testing

@testable import Mutator

/// `--monkey-scope`: mutated paths are normalised and judged by where they land.
@Suite struct MonkeyScopeTests {
    /// A WebDAV-like recording: every request under /dav/alice/cal, the collection itself never requested.
    static let sessions = [
        Session(
            id: "cal",
            steps: [
                Step(request: RequestTemplate(method: "PUT", path: "/dav/alice/cal/a.ics"), endpoint: "PUT /dav/alice/cal/{id}"),
                Step(request: RequestTemplate(method: "GET", path: "/dav/alice/cal/a.ics"), endpoint: "GET /dav/alice/cal/{id}"),
                Step(request: RequestTemplate(method: "DELETE", path: "/dav/alice/cal/{{file}}"), endpoint: "DELETE /dav/alice/cal/{id}"),
            ])
    ]

    /// The byte-level fast path for plain paths gives the verdict the normalising path gives, on random
    /// paths built from the characters that matter (separators, dots, escapes, parameters).
    @Test func thePlainPathShortcutAgreesWithNormalising() {
        let pieces = ["dav", "alice", "cal", "a.ics", "x", "", ".", "..", ".h", "%2e", "%2f", ";p", "\\", "?q", "#f", "{{file}}", "cal.", "ALICE"]
        for recordedPrefix in [false, true] {
            var sessions = Self.sessions
            if recordedPrefix { sessions[0].steps.append(Step(request: RequestTemplate(method: "GET", path: "/dav/alice/cal"))) }
            let scope = PathScope(scope: .prefix, sessions: sessions)
            var rng = SeededGenerator(seed: 42)
            var plain = 0
            for _ in 0..<20_000 {
                let path = "/" + (0..<rng.next(in: 0...6)).map { _ in pieces[rng.next(below: pieces.count)] }.joined(separator: "/")
                let (segments, escaped) = PathScope.normalized(path)
                let slow = !escaped && segments.starts(with: scope.prefix) && (segments.count > scope.prefix.count || scope.prefixRecorded)
                guard let fast = path.utf8.withContiguousStorageIfAvailable({ scope.plainPrefixVerdict($0) }) ?? nil else { continue }
                plain += 1
                #expect(fast == slow, "\(path)")
            }
            #expect(plain > 1_000)
        }
    }

    /// The verdict `contains` gave before the ASCII byte path: normalise to segments, then match.
    static func normalisingVerdict(_ scope: PathScope, _ path: String) -> Bool {
        let (segments, escaped) = PathScope.normalized(path)
        if scope.scope == .any { return true }
        if escaped { return false }
        if scope.scope == .prefix {
            return segments.starts(with: scope.prefix) && (segments.count > scope.prefix.count || scope.prefixRecorded)
        }
        return scope.templates.contains { template in
            template.count == segments.count
                && zip(template, segments).allSatisfy { t, s in t == nil || t == s || PathScope.isPlaceholder(s) }
        }
    }

    /// The ASCII byte path (every scope) judges like normalising does, on random paths of separators,
    /// dots, single and double escapes, parameters, placeholders and non-ASCII text (left to the slow path).
    @Test(arguments: MonkeyScope.allCases) func theASCIIPathAgreesWithNormalising(_ kind: MonkeyScope) {
        let pieces = [
            "dav", "alice", "cal", "a.ics", "", ".", "..", "...", "%2e%2e", "%2E", "%252e%252e", "%2f", "%5c", "%25", "%zz", "%",
            ";p", "..;", "\\", "?q", "#f", "{{file}}", "{x}", "{", "}", "é", "e\u{301}", "%C3%A9", "%61lice",
        ]
        let scope = PathScope(scope: kind, sessions: Self.sessions)
        var rng = SeededGenerator(seed: 7)
        var judged = 0
        for _ in 0..<20_000 {
            let path = "/" + (0..<rng.next(in: 0...7)).map { _ in pieces[rng.next(below: pieces.count)] }.joined(separator: "/")
            var text = path
            guard let fast = text.withUTF8({ scope.asciiVerdict($0) }) else { continue }
            judged += 1
            #expect(fast == Self.normalisingVerdict(scope, path), "\(path)")
            #expect(scope.contains(path) == fast, "\(path)")
        }
        #expect(judged > 5_000)
    }

    /// A recording with a non-ASCII segment leaves every path to the normalising judgement.
    @Test func aNonASCIIRecordingSkipsTheBytePath() {
        let sessions = [Session(id: "u", steps: [Step(request: RequestTemplate(method: "GET", path: "/caf\u{E9}/x"))])]
        let scope = PathScope(scope: .prefix, sessions: sessions)
        var text = "/caf%C3%A9/x/y"
        #expect(text.withUTF8 { scope.asciiVerdict($0) } == nil)
        #expect(scope.contains("/caf\u{E9}/x/y"))
    }

    @Test(arguments: [
        // The incident: DELETE …/file/./.. lands on the collection (deleting it whole).
        ("/dav/alice/cal/a.ics/./..", false, false, true),
        ("/dav/alice/cal/{{file}}/./..", false, false, true),
        ("/dav/alice/cal/a.ics/%2e%2e", false, false, true),
        ("/dav/alice/cal/a.ics/%252e%252e/..", false, false, true),
        ("/dav/alice/cal/a.ics/..%2f..", false, false, true),
        ("/dav/alice/cal/a.ics\\..\\..", false, false, true),
        ("/dav/alice/cal/a.ics/..;/../bob", false, false, true),
        ("/../../etc/passwd", false, false, true),
        // Inside.
        ("//dav//alice/cal/zzz", true, true, true),
        ("/dav/alice/cal/./zzz", true, true, true),
        ("/dav/alice/cal/zzz/extra", true, false, true),
        ("/dav/alice/cal/%61.ics", true, true, true),
        ("/%64%61%76/alice/cal/zzz", true, true, true),
    ])
    func pathsAreNormalisedThenChecked(path: String, prefix: Bool, recorded: Bool, any: Bool) {
        #expect(PathScope(scope: .prefix, sessions: Self.sessions).contains(path) == prefix)
        #expect(PathScope(scope: .recorded, sessions: Self.sessions).contains(path) == recorded)
        // `any` keeps everything, even a path that climbs above the root.
        #expect(PathScope(scope: .any, sessions: Self.sessions).contains(path) == any)
    }

    @Test func theRecordedPrefixItselfIsInScopeOnlyWhenRecorded() {
        var sessions = Self.sessions
        #expect(!PathScope(scope: .prefix, sessions: sessions).contains("/dav/alice/cal"))
        sessions[0].steps.append(Step(request: RequestTemplate(method: "PROPFIND", path: "/dav/alice/cal/")))
        #expect(PathScope(scope: .prefix, sessions: sessions).contains("/dav/alice/cal"))
    }

    /// Only dot-segment mutations, so many mutants traverse.
    static func mutator(_ scope: MonkeyScope) -> Mutator {
        var weights: [String: Double] = [:]
        for op in Mutator.operators { weights[op.name] = op.name == "path.dot-segment" ? 1 : 0 }
        return Mutator(sessions: sessions, configuration: MutatorConfiguration(maximumStack: 1, weights: weights, scope: scope, discovery: false))
    }

    @Test func outOfScopeMutantsAreDroppedReplacedAndCounted() {
        let prefix = Self.mutator(.prefix)
        let any = Self.mutator(.any)
        let scope = PathScope(scope: .prefix, sessions: Self.sessions)
        var escapedUnderAny = 0
        for seed in UInt64(0)..<300 {
            let kept = prefix.nextMutant(seed: seed)
            #expect(scope.contains(kept.request.path), "\(kept.request.path)")
            // Reproducible: its recorded operations derive it again from the parent.
            let parent = Self.sessions[kept.parentSession].steps[kept.parentStep].request
            #expect(prefix.apply(kept.operations, to: parent).path == kept.request.path)
            if !scope.contains(any.nextMutant(seed: seed).request.path) { escapedUnderAny += 1 }
        }
        #expect(prefix.outOfScopeCount > 0)
        #expect(any.outOfScopeCount == 0)
        #expect(escapedUnderAny > 0)
    }
}
