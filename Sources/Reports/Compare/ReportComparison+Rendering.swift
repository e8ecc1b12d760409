import Foundation
import Replayer

extension ReportComparison {
    /// The comparison as a terminal table (every line under 200 columns).
    public func table() -> String {
        let width = min(80, max(8, endpoints.map(\.endpoint.count).max() ?? 8))
        var out = ["compare \(base) → \(new)  (tolerance \(Self.percent(tolerance)))", ""]
        let header = [pad("endpoint", width, left: true), pad("p50 ms", 24), pad("p99 ms", 24), pad("errors %", 24), pad("rps", 24)]
        out.append(header.joined(separator: " "))
        for e in endpoints {
            let name = pad(ReportSummary.clip(e.endpoint, width), width, left: true)
            guard e.presence == "both" else {
                out.append(name + " " + (e.presence == "new" ? "only in the new run" : "only in the base run"))
                continue
            }
            let cells = [e.p50Ms, e.p99Ms, e.errorRate, e.rps].map { pad(Self.cell($0), 24) }
            out.append(name + " " + cells.joined(separator: " ") + (e.regression ? "  REGRESSION" : ""))
        }
        out.append("")
        out += findingLines()
        out.append(regression ? "verdict: regression" : "verdict: no regression")
        return out.joined(separator: "\n")
    }

    private func findingLines() -> [String] {
        guard !findings.isEmpty else { return ["findings: none in either run"] }
        var out = ["findings: \(count("new")) new, \(count("fixed")) fixed, \(count("still")) still present"]
        for f in findings {
            let line = "  \(pad(f.status, 5, left: true)) [\(f.signature)] \(f.failureClass) \(f.failure)  \(f.endpoint)"
            out.append(ReportSummary.clip(line, 200))
        }
        return out
    }

    /// Markdown for a pull-request comment: a verdict line, the regressed and changed endpoints, findings.
    public func markdown() -> String {
        var out = ["### Stampede: \(regression ? "⚠️ regression" : "✅ no regression") (`\(base)` → `\(new)`, tolerance \(Self.percent(tolerance)))", ""]
        out.append("| endpoint | p50 ms | p99 ms | errors % | rps | |")
        out.append("|---|---:|---:|---:|---:|---|")
        for e in endpoints {
            let name = "`" + e.endpoint.replacingOccurrences(of: "|", with: "\\|") + "`"
            guard e.presence == "both" else {
                out.append("| \(name) | | | | | only in the \(e.presence == "new" ? "new" : "base") run |")
                continue
            }
            let cells = [e.p50Ms, e.p99Ms, e.errorRate, e.rps].map { Self.cell($0) }
            out.append("| \(name) | \(cells.joined(separator: " | ")) | \(e.regression ? "**regression**" : "") |")
        }
        out.append("")
        out.append("**Findings:** \(count("new")) new, \(count("fixed")) fixed, \(count("still")) still present")
        for f in findings {
            out.append("- \(f.status): `\(f.signature)` \(f.failureClass) \(f.failure) on `\(f.endpoint)`")
        }
        return out.joined(separator: "\n")
    }

    /// Pretty-printed JSON with sorted keys.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    private func count(_ status: String) -> Int { findings.filter { $0.status == status }.count }

    /// `12.3 → 15.1 (+23%)`, with `!` after a regressed value.
    static func cell(_ c: Change?) -> String {
        guard let c else { return "–" }
        let rel = c.relative.map { " (\($0 >= 0 ? "+" : "")\(Int(($0 * 100).rounded()))%)" } ?? ""
        return "\(Markup.number(c.base)) → \(Markup.number(c.new))\(rel)\(c.regression ? "!" : "")"
    }

    static func percent(_ fraction: Double) -> String { "\(Markup.number(fraction * 100))%" }

    private func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - s.count))
        return left ? s + fill : fill + s
    }
}
