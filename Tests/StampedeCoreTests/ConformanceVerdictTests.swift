import Foundation
@testable import StampedeCore
import Testing

/// The reproducer's verdict for conformance findings the answer alone shows, run in bash against
/// a saved response head and status, as the script's last lines see them.
@Suite struct ConformanceVerdictTests {
    func holds(_ failure: String, status: String, head: String) throws -> Bool {
        let condition = try #require(ReproducerScript.conformanceCondition(failure))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stampede-verdict-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(head.utf8).write(to: dir.appendingPathComponent("head"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["bash", "-c", "_tmp=\"$1\"; _status=\"$2\"; if \(condition); then exit 0; else exit 1; fi", "verdict", dir.path, status]
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    @Test func anUndeclaredStatusReproducesOnlyWithThatStatus() throws {
        let failure = "status: status 416 not declared"
        #expect(try holds(failure, status: "416", head: "HTTP/1.1 416 Range Not Satisfiable\r\n\r\n"))
        #expect(try !holds(failure, status: "200", head: "HTTP/1.1 200 OK\r\n\r\n"))
    }

    @Test func anUndeclaredContentTypeReproducesOnlyWithThatTypeAndStatus() throws {
        let failure = "content-type: Content-Type text/plain not declared for 200"
        #expect(try holds(failure, status: "200", head: "HTTP/1.1 200 OK\r\nContent-Type: Text/Plain; charset=utf-8\r\n\r\n"))
        #expect(try !holds(failure, status: "200", head: "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n"))
        #expect(try !holds(failure, status: "201", head: "HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\n\r\n"))
        let none = "content-type: Content-Type (none) not declared for default"
        #expect(try holds(none, status: "500", head: "HTTP/1.1 500 Oops\r\nServer: x\r\n\r\n"))
        #expect(try !holds(none, status: "500", head: "HTTP/1.1 500 Oops\r\nContent-Type: text/html\r\n\r\n"))
    }

    @Test func aBodySchemaFindingHasNoShellVerdict() {
        #expect(ReproducerScript.conformanceCondition("body-schema: 200 body /lang_version: expected string") == nil)
        #expect(ReproducerScript.conformanceCondition("negative-accepted: 200 to a request breaking query limit: minimum") != nil)
    }
}
