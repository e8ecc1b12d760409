import PropertyCheck
import StampedeCore

/// What `stampede check` prints: text for people, one JSON object for scripts.
struct CheckReport {
    var endpoint: String
    var property: CheckProperty
    var seed: UInt64
    var runs: Int
    var result: PropertyCheckResult
    var statuses: [Int: Int]
    var reproduce: String
    var curl: String?

    func text() -> String {
        var lines: [String] = []
        let statusText = statuses.sorted { $0.key < $1.key }
            .map { "\($0.key == 0 ? "transport" : String($0.key)) ×\($0.value)" }.joined(separator: ", ")
        guard let counterexample = result.counterexample else {
            lines.append("check \(endpoint): property \(property.rawValue) held for \(runs) runs (seed \(seed))")
            lines.append("  statuses: \(statusText)")
            return lines.joined(separator: "\n")
        }
        lines.append("check \(endpoint): property \(property.rawValue) FAILED on run \(counterexample.run + 1) of \(runs) (seed \(seed)): \(counterexample.failure)")
        lines.append("  statuses: \(statusText)")
        lines.append("  original: \(Self.display(counterexample.original))")
        lines.append("  minimal:  \(Self.display(counterexample.minimal))")
        lines.append("  shrunk in \(counterexample.shrinkMoves) steps, \(counterexample.shrinkCalls) requests"
            + (counterexample.locallyMinimal ? "" : " (budget spent before a local minimum)"))
        lines.append("  reproduce: \(reproduce)")
        if let curl { lines.append("  curl: \(curl)") }
        return lines.joined(separator: "\n")
    }

    func json() -> String {
        var members: [JSONMember] = [
            JSONMember("endpoint", .string(endpoint)),
            JSONMember("property", .string(property.rawValue)),
            JSONMember("seed", .number(JSONNumber(text: String(seed)))),
            JSONMember("runs", .int(result.runs)),
            JSONMember("passed", .bool(result.passed)),
            JSONMember("statuses", .object(statuses.sorted { $0.key < $1.key }.map { JSONMember(String($0.key), .int($0.value)) })),
        ]
        if let counterexample = result.counterexample {
            members += [
                JSONMember("failure", .string(counterexample.failure)),
                JSONMember("failing_run", .int(counterexample.run)),
                JSONMember("original", counterexample.original),
                JSONMember("minimal", counterexample.minimal),
                JSONMember("minimal_text", .string(counterexample.minimal.serialized())),
                JSONMember("shrink_steps", .int(counterexample.shrinkMoves)),
                JSONMember("shrink_requests", .int(counterexample.shrinkCalls)),
                JSONMember("locally_minimal", .bool(counterexample.locallyMinimal)),
                JSONMember("reproduce", .string(reproduce)),
            ]
            if let curl { members.append(JSONMember("curl", .string(curl))) }
        }
        return Self.asciiOnly(JSONValue.object(members).serialized())
    }

    /// Compact JSON with every non-ASCII or invisible character escaped, so `\u0080` shows on a terminal.
    static func display(_ value: JSONValue) -> String {
        asciiOnly(value.serialized())
    }

    /// Escapes scalars outside printable ASCII as `\uXXXX` (UTF-16, surrogate pairs above the BMP);
    /// valid because serialized JSON has such characters only inside strings.
    static func asciiOnly(_ json: String) -> String {
        var out = ""
        out.reserveCapacity(json.utf8.count)
        for scalar in json.unicodeScalars {
            if scalar.value >= 0x20 && scalar.value < 0x7F {
                out.unicodeScalars.append(scalar)
            } else {
                for unit in String(scalar).utf16 {
                    let hex = String(unit, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                }
            }
        }
        return out
    }
}
