/// A time-series chart as inline SVG: stacked areas and lines over seconds since the start.
///
/// The SVG scales with its container (`viewBox`); the legend is HTML so it wraps on a phone.
struct SVGChart {
    struct Series {
        var name: String
        var values: [Double]
        var color: String
        /// Stacked areas are drawn first, each on top of the previous one; lines go over them.
        var stacked: Bool = false
    }

    static let width = 560.0
    var label: String
    var unit: String
    var seconds: [Int]
    var series: [Series]
    var height = 220.0
    /// Counts (requests in flight): the axis ticks stay whole numbers.
    var integral = false

    private let left = 46.0, right = 10.0, top = 10.0, bottom = 24.0

    func render() -> String {
        let plotWidth = Self.width - left - right
        let plotHeight = height - top - bottom
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(Int(Self.width)) \(Int(height))\" role=\"img\" aria-label=\"\(Markup.escape(label))\">"
        svg += "<title>\(Markup.escape(label))</title>"
        let stacks = stackedTops()
        let lineMax = series.filter { !$0.stacked }.flatMap(\.values).max() ?? 0
        let peak = max(stacks.last?.max() ?? 0, lineMax)
        let yMax = integral && peak <= 20 ? max(4, (peak / 4).rounded(.up) * 4) : Self.niceCeiling(peak)
        let n = max(seconds.count, 1)
        let x = { (i: Int) -> Double in left + (n > 1 ? Double(i) / Double(n - 1) * plotWidth : plotWidth / 2) }
        let y = { (v: Double) -> Double in top + plotHeight - (yMax > 0 ? v / yMax * plotHeight : 0) }
        svg += axes(yMax: yMax, plotWidth: plotWidth, plotHeight: plotHeight, x: x)
        guard !seconds.isEmpty else {
            return svg + "<text x=\"\(Int(Self.width / 2))\" y=\"\(Int(height / 2))\" class=\"empty\">no data</text></svg>"
        }
        var below = [Double](repeating: 0, count: seconds.count)
        for (s, tops) in zip(series.filter(\.stacked), stacks) {
            let upper = tops.indices.map { "\(f(x($0))),\(f(y(tops[$0])))" }
            let lower = below.indices.reversed().map { "\(f(x($0))),\(f(y(below[$0])))" }
            svg += "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(s.color)\" fill-opacity=\"0.55\" stroke=\"\(s.color)\" stroke-width=\"1\"/>"
            below = tops
        }
        for s in series where !s.stacked {
            let points = s.values.indices.prefix(seconds.count).map { "\(f(x($0))),\(f(y(s.values[$0])))" }
            svg += "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"1.8\"/>"
        }
        return svg + "</svg>"
    }

    /// The legend under the chart, as HTML.
    func legend() -> String {
        let items = series.map { "<li><span class=\"swatch\" style=\"background:\($0.color)\"></span>\(Markup.escape($0.name))</li>" }
        return "<ul class=\"legend\">\(items.joined())<li class=\"unit\">\(Markup.escape(unit))</li></ul>"
    }

    /// Cumulative tops of the stacked series, in order.
    private func stackedTops() -> [[Double]] {
        var tops: [[Double]] = []
        var running = [Double](repeating: 0, count: seconds.count)
        for s in series where s.stacked {
            for i in running.indices { running[i] += i < s.values.count ? s.values[i] : 0 }
            tops.append(running)
        }
        return tops
    }

    private func axes(yMax: Double, plotWidth: Double, plotHeight: Double, x: (Int) -> Double) -> String {
        var out = ""
        let yBase = top + plotHeight
        for k in 0...4 {
            let v = yMax * Double(k) / 4
            let yy = top + plotHeight - Double(k) / 4 * plotHeight
            out += "<line x1=\"\(f(left))\" y1=\"\(f(yy))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(yy))\" class=\"grid\"/>"
            out += "<text x=\"\(f(left - 5))\" y=\"\(f(yy + 4))\" class=\"ytick\">\(Self.short(v))</text>"
        }
        let n = seconds.count
        guard n > 0 else { return out }
        let step = max(1, Int(Self.niceCeiling(Double(n) / 6)))
        for i in stride(from: 0, to: n, by: step) {
            out += "<text x=\"\(f(x(i)))\" y=\"\(f(yBase + 16))\" class=\"xtick\">\(seconds[i])s</text>"
        }
        return out
    }

    private func f(_ v: Double) -> String { String((v * 10).rounded() / 10) }

    /// 1, 2 or 5 times a power of ten, at least `value` (1 for zero).
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return 1 }
        var magnitude = 1.0
        while magnitude * 10 <= value { magnitude *= 10 }
        while magnitude > value { magnitude /= 10 }
        for m in [1.0, 2, 5, 10] where magnitude * m >= value { return magnitude * m }
        return magnitude * 10
    }

    /// Axis labels: `1.5k`, `250`, `0.4`.
    static func short(_ v: Double) -> String {
        if v >= 10_000 { return String(Int((v / 1000).rounded())) + "k" }
        if v >= 1000 { return Markup.number(v / 1000) + "k" }
        if v == v.rounded() { return String(Int(v)) }
        return Markup.number(v)
    }
}
