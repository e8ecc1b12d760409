import Foundation
import StampedeCore
import StampedeEngine
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// TLS verification on and off, and `--cacert`, against a real TLS server on loopback
/// (`openssl s_server` with the self-signed certificate in `Fixtures/`).
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") && FileManager.default.isExecutableFile(atPath: "/usr/bin/stdbuf")))
struct TLSTests {
    /// An `openssl s_server -www` on an ephemeral loopback port.
    final class TLSServer {
        let directory: String
        let process = Process()
        let port: Int

        init() throws {
            // A self-signed certificate for 127.0.0.1 (valid for 100 years), kept with the tests.
            directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
            let output = Pipe()
            // stdbuf: s_server's stdout is a pipe here, and its "ACCEPT" line must not sit in a buffer.
            process.executableURL = URL(fileURLWithPath: "/usr/bin/stdbuf")
            process.arguments = [
                "-oL", "/usr/bin/openssl", "s_server", "-accept", "127.0.0.1:0", "-cert", directory + "/localhost-cert.pem", "-key", directory + "/localhost-key.pem", "-www",
                "-naccept", "1",  // each test makes one connection; the server then exits by itself
            ]
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            // s_server prints "ACCEPT 127.0.0.1:PORT" once it listens: read until then.
            var text = ""
            var port = 0
            while port == 0 {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
                if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT ") }),
                    let colon = line.lastIndex(of: ":"), let p = Int(line[line.index(after: colon)...])
                {
                    port = p
                }
            }
            self.port = port
        }

        var certificate: String { directory + "/localhost-cert.pem" }

        /// s_server ignores SIGTERM; SIGKILL ends it if the test did not connect.
        func stop() {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
    }

    func fetch(_ server: TLSServer, verify: Bool, caCert: String? = nil, loop: EngineLoop) async throws -> EngineResponse {
        let engine = try HTTPEngine(configuration: EngineConfiguration(workers: 1, verifyTLS: verify, caCertPath: caCert, loop: loop))
        defer { engine.shutdown() }
        return await engine.send(EngineRequest(method: "GET", url: "https://127.0.0.1:\(server.port)/", timeoutMs: 5_000))
    }

    @Test(arguments: EngineLoop.allCases)
    func verificationOffAcceptsASelfSignedCertificate(loop: EngineLoop) async throws {
        let server = try TLSServer()
        defer { server.stop() }
        try #require(server.port > 0)
        let response = try await fetch(server, verify: false, loop: loop)
        #expect(response.failure == nil, "\(String(describing: response.failure))")
        #expect(response.status == 200)
        #expect(response.timings.tlsUs > 0)
    }

    @Test(arguments: EngineLoop.allCases)
    func verificationOnRejectsItWithTheCurlName(loop: EngineLoop) async throws {
        let server = try TLSServer()
        defer { server.stop() }
        try #require(server.port > 0)
        let response = try await fetch(server, verify: true, loop: loop)
        #expect(response.status == 0)
        #expect(response.failure?.name == "CURLE_PEER_FAILED_VERIFICATION")
    }

    @Test func theLibraryVerifiesByDefault() async throws {
        let server = try TLSServer()
        defer { server.stop() }
        try #require(server.port > 0)
        let engine = try HTTPEngine(configuration: EngineConfiguration(workers: 1))
        defer { engine.shutdown() }
        #expect(engine.configuration.verifyTLS)
        let response = await engine.send(EngineRequest(method: "GET", url: "https://127.0.0.1:\(server.port)/", timeoutMs: 5_000))
        #expect(response.failure?.name == "CURLE_PEER_FAILED_VERIFICATION")
    }

    @Test(arguments: EngineLoop.allCases)
    func caCertMakesVerificationPass(loop: EngineLoop) async throws {
        let server = try TLSServer()
        defer { server.stop() }
        try #require(server.port > 0)
        let response = try await fetch(server, verify: true, caCert: server.certificate, loop: loop)
        #expect(response.failure == nil, "\(String(describing: response.failure))")
        #expect(response.status == 200)
    }
}
