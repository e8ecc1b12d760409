public import Hummingbird
import Logging
import ServiceLifecycle

/// A Hummingbird app a test runs on a free 127.0.0.1 port (an upstream behind the proxy, a small
/// API for the client core); `start` returns once the server listens.
public struct LoopbackServer: Sendable {
    /// `http://127.0.0.1:PORT`.
    public let baseURL: String
    private let group: ServiceGroup
    private let task: Task<Void, Never>

    /// Starts `router` on a free port; `label` names its (silent) logger.
    public static func start(_ router: Router<BasicRequestContext>, label: String) async -> LoopbackServer {
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

    /// Shuts the server down and waits until it has stopped.
    public func stop() async {
        await group.triggerGracefulShutdown()
        await task.value
    }
}
