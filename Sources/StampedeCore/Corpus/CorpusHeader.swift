public import Foundation

/// Line 1 of every corpus file.
public struct CorpusHeader: Codable, Hashable, Sendable {
    /// The `format` every corpus header carries.
    public static let formatName = "stampede-corpus"
    /// The newest corpus format version this tool reads and writes.
    public static let currentVersion = 1

    /// Always `stampede-corpus`.
    public var format: String
    /// The corpus format version the file was written with.
    public var version: Int
    /// ISO 8601 UTC creation time.
    public var created: String
    /// The base URL the sessions were recorded against (informational; replay takes `--base-url`).
    public var baseURL: String?
    /// `stampede 0.1.0`.
    public var tool: String
    /// Free-form name (`demo`, `myapp`).
    public var name: String?

    /// A header for a new corpus written by this tool now.
    public init(baseURL: String?, name: String? = nil, created: Date = Date()) {
        self.format = Self.formatName
        self.version = Self.currentVersion
        self.created = ISO8601.string(from: created)
        self.baseURL = baseURL
        self.tool = StampedeVersion.toolName
        self.name = name
    }

    enum CodingKeys: String, CodingKey {
        case format, version, created, tool, name
        case baseURL = "base_url"
    }
}

/// ISO 8601 timestamps in UTC with whole seconds, as written in corpora and reports.
package enum ISO8601 {
    package static func string(from date: Date) -> String {
        date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon).timeZone(separator: .omitted))
    }
}
