import Foundation
import StampedeCore
import StampedeHTTP

/// A fresh temporary directory per test, removed by the caller.
func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "stampede-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A random but valid session, fully determined by `seed`.
func randomSession(seed: UInt64, index: Int) -> Session {
    var rng = SeededGenerator(seed: seed, UInt64(index))
    func word(_ max: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABC0123456789-_ éü{}\"\\/\n\t😀")
        return String((0..<rng.next(in: 1...max)).map { _ in alphabet[rng.next(below: alphabet.count)] })
    }
    let methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "FOO"]
    let steps = (0..<rng.next(in: 1...6)).map { _ -> Step in
        var request = RequestTemplate(method: methods[rng.next(below: methods.count)], path: "/api/v1/" + word(12))
        for _ in 0..<rng.next(below: 3) { request.query.append(QueryItem(word(5), rng.chance(0.2) ? nil : word(8))) }
        for _ in 0..<rng.next(below: 3) {
            // Corpus validation: names are tokens, values hold no CR, LF or NUL.
            let name = String(word(6).filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
            request.headers.append(HTTPHeader(name.isEmpty ? "X" : name, word(20).replacingOccurrences(of: "\n", with: " ")))
        }
        if rng.chance(0.5) {
            request.body = rng.chance(0.8)
                ? BodyTemplate(text: word(60), contentType: "application/json")
                : BodyTemplate(bytes: (0..<rng.next(below: 40)).map { _ in UInt8(rng.next(below: 256)) }, contentType: nil)
        }
        var step = Step(request: request, expect: Expectation(status: [200, 201, 204, 401, 422][rng.next(below: 5)]))
        if rng.chance(0.5) { step.extract = [ExtractRule(variable: word(5), source: .json, expression: "/" + word(4))] }
        if rng.chance(0.2) { step.stream = StreamOptions(windowSeconds: 8) }
        if rng.chance(0.2) { step.poll = PollOptions(pointer: "/status", until: ["completed", "failed"]) }
        if rng.chance(0.2) { step.role = .login }
        return step
    }
    return Session(
        id: "s\(index)-\(seed)",
        name: rng.chance(0.5) ? word(10) : nil,
        weight: Double(rng.next(in: 1...5)),
        variables: rng.chance(0.5) ? [VariableDefinition(name: "script_id", kind: .extracted, origin: "step 1")] : [],
        steps: steps
    )
}

func readAll(_ path: String) throws -> (sessions: [Session], scan: CorpusScan) {
    var sessions: [Session] = []
    let scan = try CorpusReader(path: path).read { record in
        if case .session(let s) = record { sessions.append(s) }
    }
    return (sessions, scan)
}
