import Foundation
import StampedeCore
import StampedeHTTP

/// Text views of recorded steps, and the checks #11 asks of every recording.
/// Each check returns at most one line, naming the 1-based steps it found.
enum RecordedSteps {
    /// Method, path, raw query, headers and body of a step's request, one per line.
    static func text(_ step: Step) -> String {
        let request = step.request
        let query = request.query.map { item in item.value.map { "\(item.name)=\($0)" } ?? item.name }.joined(separator: "&")
        var lines = ["\(request.method) \(request.path)" + (query.isEmpty ? "" : "?" + query)]
        lines += request.headers.map { "\($0.name): \($0.value)" }
        if let body = request.body?.text { lines.append(body) }
        return lines.joined(separator: "\n")
    }

    /// One line `problem (steps 2, 3)` for the steps where `found` gives a detail, or none.
    static func check(_ steps: [Step], _ problem: String, _ found: (Step) -> String?) -> [String] {
        var numbers: [Int] = []
        var example: String?
        for (index, step) in steps.enumerated() {
            guard let detail = found(step) else { continue }
            numbers.append(index + 1)
            example = example ?? detail
        }
        guard let example else { return [] }
        return ["\(problem) (step\(numbers.count == 1 ? "" : "s") \(numbers.map(String.init).joined(separator: ", "))): \(example)"]
    }

    /// What every recording of a flow that starts with `GET /` must get right: the step count, the
    /// unrelated first step, constant path segments, and no credential in clear.
    static func commonProblems(_ steps: [Step], expectedCount: Int, secrets: [String]) -> [String] {
        var problems: [String] = []
        if steps.count != expectedCount { problems.append("\(steps.count) steps recorded, the flow sent \(expectedCount)") }
        if let first = steps.first, first.request.method != "GET" || first.request.path != "/" {
            problems.append("step 1 is \(first.request.method) \(first.request.path), the flow began with GET /")
        }
        problems += check(steps, "#11.4 a constant path segment became a variable") { step in
            step.request.path.hasPrefix("/{{") ? step.request.path : nil
        }
        problems += check(steps, "a credential is stored in clear") { step in
            secrets.contains { text(step).contains($0) } ? "\(step.request.method) \(step.request.path)" : nil
        }
        return problems
    }

    /// A client-chosen `name` used anywhere except as `name-{{vu.tag}}`: concurrent clients would share it (#11.5).
    static func sharedName(_ name: String, in steps: [Step]) -> [String] {
        check(steps, "#11.5 the client-chosen name '\(name)' is not made unique with {{vu.tag}}") { step in
            // Tagged uses and variable names (`{{desk_id}}`) do not count.
            let untagged = text(step).replacing(name + "-{{vu.tag}}", with: "").replacing(/\{\{[^}]*\}\}/, with: "")
            return untagged.contains(name) ? "\(step.request.method) \(step.request.path)" : nil
        }
    }

    /// A recorded value matching `pattern` sent literally: an ID the recorder should have correlated (#11.6).
    static func literals(_ pattern: Regex<Substring>, in steps: [Step], what: String) -> [String] {
        check(steps, "#11.6 a recorded \(what) is sent literally") { step in
            text(step).firstMatch(of: pattern).map { "\(step.request.method) \(step.request.path): \($0.output)" }
        }
    }
}
