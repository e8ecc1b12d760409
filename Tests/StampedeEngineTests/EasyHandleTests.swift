import CCurl
@testable import StampedeEngine
import Testing

/// What a pooled easy handle keeps between transfers.
@Suite struct EasyHandleTests {
    /// A monkey's bomb body must not stay with the handle that sent it: a long run would otherwise
    /// hold the largest body each handle ever drew (`bench/soak.sh` saw the replay's memory climb).
    @Test func aLargeBodysStorageIsFreedWhenItsTransferEnds() throws {
        let handle = try EasyHandle(configuration: EngineConfiguration(workers: 1))
        func run(bodyBytes: Int) throws -> Int {
            let request = EngineRequest(method: "POST", url: "http://127.0.0.1:9/", body: [UInt8](repeating: 0x61, count: bodyBytes))
            try handle.configure(for: WorkerJob(request: request, completion: { _ in }, submittedAt: .now), now: .now)
            let during = handle.requestBodyCapacity
            #expect(handle.finish(result: CURLE_OK, now: .now) != nil)
            return during
        }
        #expect(try run(bodyBytes: 1 << 20) >= 1 << 20)
        #expect(handle.requestBodyCapacity <= EasyHandle.retainedBodyCapacity)
        #expect(try run(bodyBytes: 1_000) >= 1_000)
        #expect(handle.requestBodyCapacity >= 1_000)  // a small body's storage is reused
    }
}
