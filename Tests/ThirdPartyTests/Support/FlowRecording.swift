import Foundation
import StampedeCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A server's curl flow recorded through `stampede record` (the recording proxy).
struct FlowRecording {
    /// The corpus directory (`baseline.corpus` inside).
    let corpusDirectory: String
    /// The recorder's output: sessions written and the verification lines.
    let recorderOutput: String
    let steps: [Step]

    /// `verified: N/M steps replay as recorded` → (N, M).
    var verified: (good: Int, total: Int)? {
        guard let match = recorderOutput.firstMatch(of: /verified: (\d+)\/(\d+) steps/) else { return nil }
        return (Int(match.1) ?? -1, Int(match.2) ?? -1)
    }

    /// Starts the recorder on a free port, runs the flow script through it, stops the recorder with SIGINT.
    static func record(_ server: RunningServer, with stampede: StampedeRun) async throws -> FlowRecording {
        let kind = server.kind
        let corpus = stampede.directory + "/corpus"
        try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
        let recorder = try stampede.start(
            "record",
            [
                "record", "--base-url", server.baseURL, "--listen", "127.0.0.1:0", "--out", corpus + "/baseline.corpus",
                "--group-by-host", "--name", kind.rawValue,
            ], environment: kind.credentials)
        defer { recorder.stop() }
        let proxy = await StampedeRun.awaitLine(of: recorder, timeout: .seconds(60)) { line in
            line.firstMatch(of: /listening on (http:\/\/[0-9.:]+)/).map { String($0.1) }
        }
        let proxyURL = try #require(proxy, "the recorder printed no 'listening on' line:\n\(recorder.tail())")

        let flow = try ChildProcess(
            "/bin/bash", [kind.flowScript, proxyURL], environment: ThirdPartyVenv.environment(kind.flowEnvironment),
            stdout: stampede.directory + "/flow.out", stderr: stampede.directory + "/flow.err")
        defer { flow.stop() }
        let flowStatus = await flow.waitForExit(timeout: .seconds(120))
        #expect(flowStatus == 0, "the \(kind) flow through the recording proxy failed:\n\(flow.tail())")

        recorder.send(SIGINT)
        let recordStatus = await recorder.waitForExit(timeout: .seconds(120))
        #expect(recordStatus == 0, "stampede record exited \(recordStatus.map(String.init) ?? "late"):\n\(recorder.tail())")
        let loaded = try Corpus.load(path: corpus + "/baseline.corpus")
        #expect(loaded.damages.isEmpty, "\(loaded.damages)")
        #expect(loaded.sessions.count == 1, "the flow should be one session: \(loaded.sessions.map(\.id))")
        return FlowRecording(corpusDirectory: corpus, recorderOutput: recorder.output, steps: loaded.sessions.flatMap(\.steps))
    }

    /// `stampede corpus show` of the recording, for failure messages.
    func show(with stampede: StampedeRun) async -> String {
        guard let process = try? await stampede.run("corpus-show", ["corpus", "show", corpusDirectory], timeout: .seconds(30)) else {
            return "(corpus show did not run)"
        }
        return process.output + process.errors
    }
}
