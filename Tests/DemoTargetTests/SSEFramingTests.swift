import DemoTarget
import Foundation
import StampedeCore
import StampedeEngine
import Testing

/// The raw `text/event-stream` bytes: status first, keepalive comments, close after the terminal event.
@Suite struct SSEFramingTests {
    @Test func rawStreamFraming() async throws {
        try await withDemo { server, engine in
            let client = DemoClient(engine: engine, server: server)
            await client.signUp("carol")
            // `time.sleep` stretches the simulated run past one second, so at least one keepalive is due.
            let id = try #require(await client.execute("import time\ntime.sleep(1.5)\nprint('done')"))
            let response = await client.send("GET", "/events/executions/\(id)", timeoutMs: 8_000)
            #expect(response.failure == nil, "the stream must end on its own after the terminal event")
            #expect(response.status == 200)
            let text = response.bodyText
            #expect(text.hasPrefix("event: status\ndata: {"))
            #expect(text.hasSuffix("\n\n"))
            let frames = text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
            #expect(frames.contains(": keepalive"))
            for frame in frames where frame != ": keepalive" {
                let lines = frame.split(separator: "\n")
                #expect(lines.first?.hasPrefix("event: ") == true, "frame without event line: \(frame)")
                #expect(lines.last?.hasPrefix("data: {") == true, "frame without data line: \(frame)")
            }
            let lastFrame = try #require(frames.last)
            #expect(lastFrame.hasPrefix("event: execution_completed\nid: "))
        }
    }

    @Test func finishedExecutionStreamsOnlyStatus() async throws {
        try await withDemo { server, engine in
            let client = DemoClient(engine: engine, server: server)
            await client.signUp("dave")
            let id = try #require(await client.execute("raise RuntimeError()"))
            _ = await waitForResult(client, id)
            let again = await client.send("GET", "/events/executions/\(id)", sse: SSEOptions(windowMs: 3_000, maxEvents: 8))
            let events = try #require(again.sse?.events)
            #expect(events.map(\.event) == ["status"])
            #expect(again.sse?.cutByWindow == false)
            let data = try #require(events.first.flatMap { try? JSONSerialization.jsonObject(with: Data($0.data.utf8)) as? [String: Any] })
            #expect(data["status"] as? String == "failed")
            #expect((data["result"] as? [String: Any])?["status"] as? String == "failed")
        }
    }
}
