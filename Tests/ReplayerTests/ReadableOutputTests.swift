import Foundation
import StampedeClient
import StampedeCore
import StampedeHTTP
import Testing

@testable import Replayer

/// The terminal summary stays readable on real data: no line over 200 columns, long values
/// abbreviated with their size, long endpoint names whole or abbreviated in the middle.
@Suite struct ReadableOutputTests {
    /// A finding whose minimized request has a 6,000-character deeply nested JSON body, behind a bearer secret.
    static func finding() -> Finding {
        let body = String(repeating: "[", count: 3_000) + String(repeating: "]", count: 3_000)
        let endpoint = "POST /api/v1/organisations/{id}/projects/{id}/repositories/{id}/pipelines/{id}/stages/{id}/jobs/{id}/artifacts"
        let template = RequestTemplate(
            method: "POST", path: "/api/v1/x", headers: [HTTPHeader("Authorization", "Bearer {{secret.authorization_bearer}}")],
            body: BodyTemplate(text: body, contentType: "application/json"))
        let curl = CurlCommand.render(
            method: "POST", url: "http://127.0.0.1:8080/api/v1/x",
            headers: [HTTPHeader("Authorization", "Bearer live-token-123"), HTTPHeader("Cookie", "session=dead")],
            body: Array(body.utf8), template: template)
        let example = FindingExample(
            session: "s", stepIndex: 3, seed: 9, operations: ["json.nest"], request: template, url: "http://127.0.0.1:8080/api/v1/x",
            curl: curl, status: 500, responseExcerpt: "")
        var finding = Finding(
            signature: "00000000000000f1", failureClass: .serverError, failure: "500", method: "POST", endpoint: endpoint,
            source: .monkey, hits: 3, firstSeen: "", lastSeen: "", firstSeenOffset: 0, fingerprint: "", example: example,
            confirmed: true, reproduceRate: 1, minimized: true, minimal: example)
        finding.crashFile = "corpora/demo/crashes/00000000000000f1.corpus"
        finding.crashScript = "corpora/demo/crashes/00000000000000f1.sh"
        return finding
    }

    @Test func aSixThousandCharacterBodyKeepsEveryLineUnder200Columns() {
        let f = Self.finding()
        #expect(f.minimal?.curl.count ?? 0 > 6_000)  // the full request is kept (report, crash record)
        let lines = ReportSummary.findingLines(f)
        for line in lines { #expect(line.count <= ReportText.maxColumns, "\(line.count): \(line.prefix(80))") }
        #expect(lines[1].hasSuffix("bytes)"))
        #expect(lines[1].contains("…(6,"))
        #expect(lines.contains("    reproduce: bash corpora/demo/crashes/00000000000000f1.sh [BASE_URL]"))
        // The endpoint is long but under 100 columns: whole.
        #expect(lines[0].contains(f.endpoint))
    }

    @Test func printedCurlCarriesNoLiveSecretOrCookie() {
        let curl = Self.finding().minimal?.curl ?? ""
        #expect(!curl.contains("live-token-123"))
        #expect(!curl.contains("session=dead"))
        #expect(curl.contains(#"-H 'Authorization: Bearer '"${STAMPEDE_SECRET_AUTHORIZATION_BEARER}""#))
    }

    @Test func abbreviationNamesTheSize() {
        #expect(ReportText.abbreviated(String(repeating: "x", count: 5_120), limit: 40) == String(repeating: "x", count: 26) + "…(5,120 bytes)")
        #expect(ReportText.abbreviated("short", limit: 40) == "short")
        #expect(ReportText.abbreviated("two\nlines", limit: 40) == "two…(9 bytes)")
        let name = "GET /api/v1/" + String(repeating: "segment/", count: 40) + "end"
        let abbreviated = ReportText.middleAbbreviated(name, limit: 60)
        #expect(abbreviated.count == 60 && abbreviated.hasPrefix("GET /api/v1/") && abbreviated.hasSuffix("/end"))
    }
}
