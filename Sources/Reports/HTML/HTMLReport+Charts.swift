import Replayer

extension HTMLReport {
    static let userColor = "#3b6fd6"
    static let monkeyColor = "#e0902b"
    static let errorColor = "#d23c3c"

    /// The timeline (requests/s stacked by client kind, errors/s, in flight) and latency over time.
    static func charts(_ r: ReplayReport) -> String {
        let t = r.timeline
        var load: [SVGChart.Series] = []
        if let modes = t.modes, !modes.isEmpty {
            for kind in ClientKind.allCases {
                guard let m = modes[kind.rawValue] else { continue }
                load.append(.init(name: "\(kind.rawValue) requests/s", values: m.rps, color: kind == .user ? userColor : monkeyColor, stacked: true))
            }
        } else {
            load.append(.init(name: "requests/s", values: t.rps, color: userColor, stacked: true))
        }
        load.append(.init(name: "errors/s", values: t.eps, color: errorColor))
        load.append(.init(name: "failures/s", values: t.fps, color: "#7a1f9e"))
        var out = "<section id=\"charts\"><h2>Over time</h2><div class=\"charts\">"
        out += figure(SVGChart(label: "Requests and errors per second", unit: "per second", seconds: t.seconds, series: load), "Requests and errors per second")
        var latency: [SVGChart.Series] = []
        if let p50 = t.p50Ms { latency.append(.init(name: "p50", values: p50, color: "#2f9e6b")) }
        if let p90 = t.p90Ms { latency.append(.init(name: "p90", values: p90, color: "#e0902b")) }
        latency.append(.init(name: "p99", values: t.p99Ms, color: errorColor))
        out += figure(SVGChart(label: "Latency per second", unit: "ms", seconds: t.seconds, series: latency), "Latency (p50, p90, p99 of each second)")
        if let inFlight = t.inFlight {
            let series = SVGChart.Series(name: "in flight (peak)", values: inFlight.map(Double.init), color: "#56606e", stacked: true)
            out += figure(SVGChart(label: "Requests in flight", unit: "requests", seconds: t.seconds, series: [series], height: 150, integral: true), "Requests in flight")
        }
        return out + "</div></section>"
    }

    private static func figure(_ chart: SVGChart, _ caption: String) -> String {
        "<figure>\(chart.render())<figcaption>\(Markup.escape(caption))</figcaption>\(chart.legend())</figure>"
    }
}
