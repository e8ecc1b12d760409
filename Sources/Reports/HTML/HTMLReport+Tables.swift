import Replayer

extension HTMLReport {
    /// The colour of a status code's class in the status bars.
    static func statusColor(_ code: String) -> String {
        if code == "599" || code == "0" { return "#4a4a4a" }
        switch code.first {
        case "1", "2": return "#2f9e6b"
        case "3": return "#3b6fd6"
        case "4": return "#e0902b"
        case "5": return "#d23c3c"
        default: return "#9a9a9a"
        }
    }

    /// A horizontal bar of status codes (or any counts), widths by share, with a tooltip each.
    static func bar(_ counts: [(label: String, count: Int, color: String)]) -> String {
        let total = counts.reduce(0) { $0 + $1.count }
        guard total > 0 else { return "<div class=\"bar\"></div>" }
        let parts = counts.filter { $0.count > 0 }.map { part in
            let share = Double(part.count) * 100 / Double(total)
            let tip = "\(part.label): \(Markup.count(part.count))"
            return "<span style=\"width:\(Markup.number(max(share, 0.5)))%;background:\(part.color)\" title=\"\(Markup.escape(tip))\"></span>"
        }
        return "<div class=\"bar\">\(parts.joined())</div>"
    }

    static func statusParts(_ status: [String: Int]) -> [(label: String, count: Int, color: String)] {
        status.sorted { (Int($0.key) ?? 0) < (Int($1.key) ?? 0) }.map { ($0.key, $0.value, statusColor($0.key)) }
    }

    /// The per-endpoint table; every column sorts on a click.
    static func endpoints(_ r: ReplayReport) -> String {
        let rows = r.endpoints.sorted { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key < $1.key }
        let columns = ["endpoint", "count", "errors", "failures", "p50 ms", "p90 ms", "p99 ms", "max ms", "status"]
        var out = "<section id=\"endpoints\"><h2>Endpoints (\(rows.count))</h2><div class=\"scroll\"><table class=\"sortable\"><thead><tr>"
        for (i, c) in columns.enumerated() {
            let cls = i == 0 ? "text" : (i == 5 || i == 7 ? "num wide" : "num")
            out += "<th class=\"\(cls)\" data-col=\"\(i)\">\(c)</th>"
        }
        out += "</tr></thead><tbody>"
        for (key, e) in rows { out += endpointRow(key, e) }
        return out + "</tbody></table></div></section>"
    }

    private static func endpointRow(_ key: String, _ e: EndpointReport) -> String {
        let failures = ReplayReport.hardFailures(e.failures)
        let classes = e.failures.filter { $0.value > 0 }.sorted { $0.key < $1.key }
            .map { "<span class=\"chip\">\(Markup.escape($0.key)) \($0.value)</span>" }.joined()
        let l = e.latencyMs
        // `data-label` names the value when a phone shows the row as a card.
        func num(_ label: String, _ v: Double?, wide: Bool = false) -> String {
            "<td class=\"num\(wide ? " wide" : "")\" data-label=\"\(label)\" data-v=\"\(v ?? -1)\">\(v.map(Markup.number) ?? "–")</td>"
        }
        var row = "<tr class=\"endpoint\"><td class=\"name\" data-v=\"\(Markup.escape(key))\"><code>\(Markup.escape(key))</code></td>"
        row += "<td class=\"num\" data-label=\"count\" data-v=\"\(e.count)\">\(Markup.count(e.count))</td>"
        row += "<td class=\"num\" data-label=\"errors\" data-v=\"\(e.errors)\">\(Markup.count(e.errors))</td>"
        row += "<td class=\"num\" data-label=\"failures\" data-v=\"\(failures)\">\(failures)\(classes.isEmpty ? "" : "<div>\(classes)</div>")</td>"
        row += num("p50 ms", l?.p50) + num("p90 ms", l?.p90, wide: true) + num("p99 ms", l?.p99) + num("max ms", l?.max, wide: true)
        let codes = e.status.sorted { (Int($0.key) ?? 0) < (Int($1.key) ?? 0) }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")
        row += "<td class=\"status\" data-v=\"\(e.errors)\">\(bar(statusParts(e.status)))<small>\(Markup.escape(codes))</small></td></tr>"
        return row
    }

    /// Status codes and failure classes over the whole run, and the per-mode split.
    static func mix(_ r: ReplayReport) -> String {
        var status: [String: Int] = [:]
        for e in r.endpoints.values { for (code, n) in e.status { status[code, default: 0] += n } }
        var out = "<section id=\"mix\"><h2>Status and failure mix</h2><div class=\"cols\"><div><h3>Status codes</h3>"
        out += bar(statusParts(status)) + countList(status.sorted { (Int($0.key) ?? 0) < (Int($1.key) ?? 0) }, total: r.totalRequests)
        out += "</div><div><h3>Failure classes</h3>"
        let classes = r.failureClasses.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        let palette = ["#d23c3c", "#4a4a4a", "#7a1f9e", "#e0902b", "#3b6fd6", "#2f9e6b", "#9a9a9a", "#b5651d"]
        let parts = classes.enumerated().map { ($0.element.key, $0.element.value, palette[$0.offset % palette.count]) }
        out += bar(parts) + countList(classes, total: r.totalRequests)
        if !r.exceptions.isEmpty {
            out += "<h3>Transport errors</h3>" + countList(r.exceptions.sorted { $0.key < $1.key }, total: r.totalRequests)
        }
        out += "</div></div>" + modes(r) + "</section>"
        return out
    }

    private static func countList(_ items: [(key: String, value: Int)], total: Int) -> String {
        let lis = items.map { "<li><span>\(Markup.escape($0.key))</span><b>\(Markup.count($0.value))</b><small>\(Markup.percent($0.value, of: total))</small></li>" }
        return "<ul class=\"counts\">\(lis.joined())</ul>"
    }

    private static func modes(_ r: ReplayReport) -> String {
        let kinds = r.modes.keys.sorted()
        guard !kinds.isEmpty else { return "" }
        var out = "<h3>Client kinds</h3><div class=\"scroll\"><table><thead><tr><th class=\"text\">kind</th><th class=\"num\">clients</th><th class=\"num\">requests</th>"
        out += "<th class=\"num\">errors</th><th class=\"num\">failures</th><th class=\"num\">p99 ms</th><th class=\"num\">iterations</th></tr></thead><tbody>"
        for kind in kinds {
            guard let m = r.modes[kind] else { continue }
            out += "<tr><td>\(Markup.escape(kind))</td><td class=\"num\">\(m.clients)</td><td class=\"num\">\(Markup.count(m.requests))</td>"
            out += "<td class=\"num\">\(Markup.count(m.errors))</td><td class=\"num\">\(Markup.count(m.failures))</td>"
            out += "<td class=\"num\">\(m.latencyMs.map { Markup.number($0.p99) } ?? "–")</td><td class=\"num\">\(Markup.count(m.iterations))</td></tr>"
        }
        return out + "</tbody></table></div>"
    }
}
