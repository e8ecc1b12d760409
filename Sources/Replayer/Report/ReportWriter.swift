public import Foundation

/// Writes a report as `report_<mode>_<UTC yyyyMMdd_HHmmss>.json` in an output directory.
public enum ReportWriter {
    /// `report_both_20250101_120000.json` for a mode and a start time (UTC).
    public static func fileName(mode: String, startedAt: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: startedAt)
        func pad(_ n: Int?, _ width: Int) -> String {
            let s = String(n ?? 0)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let stamp = pad(c.year, 4) + pad(c.month, 2) + pad(c.day, 2) + "_" + pad(c.hour, 2) + pad(c.minute, 2) + pad(c.second, 2)
        return "report_\(mode)_\(stamp).json"
    }

    /// Encodes a report as pretty-printed JSON with sorted keys.
    public static func encode(_ report: ReplayReport) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(report)
    }

    /// Writes the report into `directory` (created if needed) and returns the file's path.
    ///
    /// Never overwrites: a second report started in the same second gets a `_2`, `_3`… suffix.
    /// The file is written to a temporary name and renamed, so a reader never sees half a report.
    public static func write(_ report: ReplayReport, to directory: String, startedAt: Date) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let base = fileName(mode: report.mode, startedAt: startedAt)
        var path = directory + "/" + base
        var n = 2
        while FileManager.default.fileExists(atPath: path) {
            path = directory + "/" + base.replacingOccurrences(of: ".json", with: "_\(n).json")
            n += 1
        }
        let data = try encode(report)
        let temporary = path + ".tmp"
        try data.write(to: URL(fileURLWithPath: temporary))
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
        return path
    }
}
