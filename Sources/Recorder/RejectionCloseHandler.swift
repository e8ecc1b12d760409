import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Closes the client connection after every response that ends it: one that says
/// `Connection: close` (the proxy's 413, Hummingbird's answer to an unparsable or oversized request
/// head) or answers a request that did not ask for keep-alive. Turns the answer to an oversized
/// head into a `431`.
///
/// Hummingbird answers a parse error with `400` and `Connection: close` (and ends a
/// `Connection: close` exchange), half-closes its side and then waits for the client to close the
/// socket; a hostile client never does, so each such connection kept its descriptor and buffers
/// for good. This handler sits right after NIO's
/// request decoder (``ProxyHTTPChannel`` puts it there): once the response's end is flushed it half-closes at once and closes fully
/// after a short linger (so a client still sending sees the answer rather than a reset), or as
/// soon as the client closes.
final class RejectionCloseHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// How long a rejected connection may go on sending before it is closed.
    let linger: TimeAmount
    private var headTooLarge = false
    private var closeAfterEnd = false
    private var lingerTask: Scheduled<Void>?

    init(linger: TimeAmount = .milliseconds(500)) {
        self.linger = linger
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let parse = error as? HTTPParserError, parse == .headerOverflow { headTooLarge = true }
        context.fireErrorCaught(error)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data), !head.isKeepAlive { closeAfterEnd = true }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        lingerTask?.cancel()
        lingerTask = nil
        context.fireChannelInactive()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head):
            if head.headers[canonicalForm: "connection"].contains(where: { $0.lowercased() == "close" }) { closeAfterEnd = true }
            if headTooLarge, head.status == .badRequest {
                head.status = .requestHeaderFieldsTooLarge
                context.write(wrapOutboundOut(.head(head)), promise: promise)
                return
            }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            guard closeAfterEnd else {
                context.write(data, promise: promise)
                return
            }
            context.writeAndFlush(data, promise: promise)
            closeAfterLinger(context: context)
        }
    }

    /// Half-closes now (the client reads the answer and sees the end), closes fully after ``linger``.
    private func closeAfterLinger(context: ChannelHandlerContext) {
        guard lingerTask == nil else { return }
        context.close(mode: .output, promise: nil)
        let channel = context.channel
        lingerTask = context.eventLoop.scheduleTask(in: linger) { channel.close(promise: nil) }
    }
}

/// Hummingbird's HTTP/1.1 child channel with the proxy's limits: the request-head size limit,
/// the idle timeout, and a ``RejectionCloseHandler`` right after the request decoder.
struct ProxyHTTPChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let inner: HTTP1Channel

    init(responder: @escaping HTTPChannelHandler.Responder, maxHeaderBytes: Int, idleTimeout: Duration) {
        let decoder = HTTP1Channel.Configuration.DecoderConfiguration(maxHeaderFieldSize: maxHeaderBytes, maxHeaderListSize: maxHeaderBytes)
        let configuration = HTTP1Channel.Configuration(idleTimeout: TimeAmount(idleTimeout), httpDecoderConfiguration: decoder)
        inner = HTTP1Channel(responder: responder, configuration: configuration)
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(RejectionCloseHandler(), position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}
