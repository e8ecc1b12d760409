import Hummingbird
import NIOCore

/// Request context that keeps the connection's channel, so the dropped-connection defect can close it.
struct DemoRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
