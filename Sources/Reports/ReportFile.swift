import Foundation
public import Replayer

/// Reading saved reports and writing rendered ones.
public enum ReportFile {
    /// A report that cannot be read, with a one-line reason.
    public struct ReadError: Error, CustomStringConvertible {
        /// `PATH is not a Stampede report: missing timeline.rps`.
        public var description: String
    }

    /// Loads a report written by `replay` or `demo`.
    ///
    /// - Throws: `ReadError` when the file is missing or is not a Stampede report.
    public static func load(_ path: String) throws(ReadError) -> ReplayReport {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ReadError(description: "cannot read \(path): \(error.localizedDescription)")
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try decoder.decode(ReplayReport.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw ReadError(description: "\(path) is not a Stampede report: missing \(pathText(context.codingPath + [key]))")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw ReadError(description: "\(path) is not a Stampede report: unexpected value at \(pathText(context.codingPath))")
        } catch {
            throw ReadError(description: "\(path) is not a Stampede report: not valid JSON")
        }
    }

    /// Writes text to `path` through a temporary file, so a reader never sees half of it.
    public static func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        try Data(text.utf8).write(to: url, options: .atomic)
    }

    /// Thresholds listed in a JSON config file: `{"thresholds": ["p99<300ms", "user: failures==0"]}`.
    ///
    /// - Throws: `ReadError` when the file cannot be read or has no `thresholds` array of strings.
    public static func thresholdExpressions(configFile path: String) throws(ReadError) -> [String] {
        struct Config: Decodable { var thresholds: [String]? }
        guard let data = FileManager.default.contents(atPath: path) else { throw ReadError(description: "cannot read \(path)") }
        guard let config = try? JSONDecoder().decode(Config.self, from: data) else {
            throw ReadError(description: "\(path): expected a JSON object such as {\"thresholds\": [\"p99<300ms\"]}")
        }
        return config.thresholds ?? []
    }

    private static func pathText(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}
