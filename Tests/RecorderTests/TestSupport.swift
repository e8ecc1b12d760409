import Foundation
import Hummingbird
import Logging
import Recorder
import ServiceLifecycle
import StampedeClient
import StampedeCore
import StampedeEngine

/// A fresh temporary file path (the directory is created; the file is not).
func temporaryPath(_ name: String) -> String {
    let directory = NSTemporaryDirectory() + "stampede-recorder-tests-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    return directory + "/" + name
}

/// The decompressed bytes of a corpus file, as text.
func corpusText(_ path: String) throws -> String {
    let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
    return String(decoding: try Gzip.decompress(bytes), as: UTF8.self)
}

/// Steps of replayed sessions that did not replay as recorded, one line each.
func failures(_ outcomes: [SessionOutcome]) -> [String] {
    outcomes.flatMap { outcome in
        outcome.steps.filter { !$0.matched }.map { "\(outcome.sessionID) step \($0.index + 1) \($0.endpoint): \($0.explanation)" }
    }
}

/// A Hummingbird app a test runs on a free 127.0.0.1 port (an upstream behind the proxy).
struct LoopbackServer {
    let baseURL: String
    let group: ServiceGroup
    let task: Task<Void, Never>

    static func start(_ router: Router<BasicRequestContext>, label: String) async -> LoopbackServer {
        let logger = Logger(label: label, factory: { _ in SwiftLogNoOpLogHandler() })
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portSink.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let task = Task { _ = try? await group.run() }
        var port = 0
        for await p in ports {
            port = p
            break
        }
        return LoopbackServer(baseURL: "http://127.0.0.1:\(port)", group: group, task: task)
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        await task.value
    }
}
