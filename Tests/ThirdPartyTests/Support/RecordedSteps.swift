import Foundation
import StampedeCore

/// Text views of recorded steps that the corpus checks search.
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

    /// Problems every recording of a flow that starts with `GET /` must avoid: a path made of a variable
    /// where the recording had a constant, and secrets stored in clear.
    static func commonProblems(_ steps: [Step], expectedCount: Int, secrets: [String]) -> [String] {
        var problems: [String] = []
        if steps.count != expectedCount { problems.append("\(steps.count) steps recorded, the flow sent \(expectedCount)") }
        if let first = steps.first, first.request.method != "GET" || first.request.path != "/" {
            problems.append("step 1 is \(first.request.method) \(first.request.path), the flow began with GET /")
        }
        for (index, step) in steps.enumerated() {
            if step.request.path.hasPrefix("/{{") {
                problems.append("step \(index + 1): constant first segment made a variable: \(step.request.path) (#11.4)")
            }
            let text = text(step)
            for secret in secrets where text.contains(secret) {
                problems.append("step \(index + 1) stores a credential in clear")
            }
        }
        return problems
    }

    /// Steps whose text holds `name` anywhere except as `name-{{vu.tag}}` (a client-chosen name that
    /// concurrent clients would share, #11.5).
    static func sharedName(_ name: String, in steps: [Step]) -> [String] {
        steps.enumerated().compactMap { index, step in
            let text = text(step)
            let total = text.components(separatedBy: name).count - 1
            let tagged = text.components(separatedBy: name + "-{{vu.tag}}").count - 1
            return total > tagged ? "step \(index + 1) uses the client-chosen name '\(name)' without {{vu.tag}} (#11.5)" : nil
        }
    }

    /// Steps whose text holds a literal value that matches `pattern` (a recorded ID the recorder should
    /// have correlated, #11.6).
    static func literals(_ pattern: Regex<Substring>, in steps: [Step], what: String) -> [String] {
        steps.enumerated().compactMap { index, step in
            guard let match = text(step).firstMatch(of: pattern) else { return nil }
            return "step \(index + 1) sends the recorded \(what) \(match.output) literally (#11.6)"
        }
    }
}
