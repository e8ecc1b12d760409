import Foundation
import StampedeCore
import Testing

/// The JSON report a `stampede replay` wrote, and the parts the acceptance tests read.
struct ReplayReport {
    let path: String
    let json: JSONValue

    /// The single report in `directory`.
    static func load(in directory: String) throws -> ReplayReport {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let reports = names.filter { $0.hasPrefix("report_") && $0.hasSuffix(".json") }.sorted()
        let name = try #require(reports.last, "no report_*.json in \(directory)")
        let path = directory + "/" + name
        return ReplayReport(path: path, json: try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: path)))))
    }

    func int(_ pointer: String) -> Int { Int(json[pointer: pointer]?.doubleValue ?? -1) }

    var findings: [JSONValue] { json[key: "findings"]?.arrayValue ?? [] }

    /// One line per finding: signature, class, endpoint, failure and hits.
    var findingSummary: String {
        findings.prefix(15).map { f in
            ["signature", "failure_class", "endpoint", "failure", "hits", "confirmed"]
                .map { f[key: $0]?.scalarText ?? "-" }.joined(separator: " ")
        }.joined(separator: "\n")
    }

    /// Confirmed 5xx findings that have a crash record.
    var confirmedServerErrors: [ConfirmedFinding] {
        findings.compactMap { f in
            guard f[key: "confirmed"]?.boolValue == true, f[key: "failure_class"]?.stringValue == "server_error",
                let crashFile = f[key: "crash_file"]?.stringValue, let request = f[pointer: "/minimal/request"],
                let template = try? JSONDecoder().decode(RequestTemplate.self, from: Data(request.serializedBytes()))
            else { return nil }
            let status = Int(f[pointer: "/minimal/status"]?.doubleValue ?? f[pointer: "/example/status"]?.doubleValue ?? 0)
            return ConfirmedFinding(
                signature: f[key: "signature"]?.stringValue ?? "?", endpoint: f[key: "endpoint"]?.stringValue ?? "?",
                status: status, crashFile: crashFile, minimal: template)
        }
    }
}

/// A confirmed server error with its crash record and minimal request.
struct ConfirmedFinding {
    let signature: String
    let endpoint: String
    let status: Int
    let crashFile: String
    let minimal: RequestTemplate

    /// `crashes/<signature>.sh` beside the crash record.
    var reproducer: String { (crashFile as NSString).deletingPathExtension + ".sh" }
}
