import StampedeCore
import StampedeHTTP

// Step metadata: expectation, endpoint, stream, polling, session name.
extension CorrelationPass {
    mutating func finishSteps() -> [Step] {
        var steps: [Step] = []
        var pollRuns: [(start: Int, end: Int)] = []
        var i = 0
        while i < drafts.count {
            var j = i
            while j + 1 < drafts.count, drafts[j + 1].exchange.method == "GET", drafts[i].exchange.method == "GET",
                drafts[j + 1].template() == drafts[i].template()
            {
                j += 1
            }
            if j > i, isPoll(Array(drafts[i...j])) { pollRuns.append((i, j)) }
            i = j + 1
        }
        var index = 0
        while index < drafts.count {
            let draft = drafts[index]
            var step = draft.step
            step.request = draft.template()
            let exchange = draft.exchange
            if exchange.status > 0 {
                step.expect = exchange.status == 304 ? Expectation(status: nil, statusClass: 2) : Expectation(status: exchange.status)
            }
            step.endpoint = EndpointTemplate.key(method: step.request.method, path: step.request.path)
            step.setsCookies = Self.cookieNames(setBy: exchange)
            if exchange.responseMediaType == "text/event-stream" { step.stream = StreamOptions() }
            if let run = pollRuns.first(where: { $0.start == index }) {
                let polled = Array(drafts[run.start...run.end])
                let gaps = zip(polled.dropFirst(), polled).map { $0.exchange.startedAtMs - $1.exchange.startedAtMs }
                let interval = gaps.isEmpty ? 500 : Int(gaps.reduce(0, +) / Int64(gaps.count))
                step.poll = PollOptions(
                    pointer: "/status", until: options.terminalStatuses.sorted(),
                    maxAttempts: max(5, polled.count * 2), intervalMs: min(5000, max(100, interval)))
                for other in polled.dropFirst() {
                    for rule in other.step.extract where !step.extract.contains(rule) { step.extract.append(rule) }
                }
                if let last = polled.last, last.exchange.status > 0 { step.expect = Expectation(status: last.exchange.status) }
                index = run.end + 1
            } else {
                index += 1
            }
            steps.append(step)
        }
        return steps
    }

    /// Names of the cookies a response set (never values); a cookie being deleted (empty value) is not set.
    static func cookieNames(setBy exchange: RecordedExchange) -> [String] {
        var names: [String] = []
        for (name, value) in exchange.responseCookies where !value.isEmpty && !names.contains(name) { names.append(name) }
        return names
    }

    func isPoll(_ run: [StepDraft]) -> Bool {
        let statuses = run.map { draft -> String? in
            guard let value = try? JSONParser().parse(draft.exchange.responseBody) else { return nil }
            return value[pointer: "/status"]?.stringValue
        }
        guard let last = statuses.last ?? nil, options.terminalStatuses.contains(last.lowercased()) else { return false }
        return statuses.dropLast().contains { status in status.map { !options.terminalStatuses.contains($0.lowercased()) } ?? false }
    }

    /// The last plain word of each templated path (never a recorded name, ID or credential).
    func suggestedName() -> String {
        let words = drafts.compactMap { draft -> String? in
            draft.segments.last { !$0.isEmpty && !$0.contains("{{") && !EndpointTemplate.isIdentifier($0[...]) }
        }
        var seen: [String] = []
        for w in words where !seen.contains(w) { seen.append(w) }
        return seen.prefix(6).joined(separator: " → ")
    }
}
