/// A part of a corpus file that could not be read; every complete record around it still is.
public struct CorpusDamage: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of damage a region has.
    public enum Kind: String, Sendable, Hashable {
        /// The file ends inside a gzip member (a writer died mid-record, or the file was cut).
        case truncated
        /// A gzip member does not inflate or fails its CRC check.
        case corrupt
        /// A line inflated fine but is not a valid header or session record.
        case invalidRecord
        /// A session record decoded but fails ``Session/validate()`` (one damage per problem).
        case invalidSession
    }

    /// What kind of damage this is.
    public var kind: Kind
    /// Offset in the compressed file where the damaged gzip member starts.
    public var byteOffset: Int
    /// What was found there, for people.
    public var detail: String

    /// A damaged region of `kind` at `byteOffset`.
    public init(kind: Kind, byteOffset: Int, detail: String) {
        self.kind = kind
        self.byteOffset = byteOffset
        self.detail = detail
    }

    /// One line naming the damage and its byte offset.
    public var description: String {
        switch kind {
        case .truncated: "truncated at byte offset \(byteOffset): \(detail)"
        case .corrupt: "corrupt data at byte offset \(byteOffset): \(detail)"
        case .invalidRecord: "invalid record in the gzip member at byte offset \(byteOffset): \(detail)"
        case .invalidSession: "\(detail) (gzip member at byte offset \(byteOffset))"
        }
    }
}

/// Errors that stop a corpus from being read or written at all.
public struct CorpusError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The corpus file.
    public var path: String
    /// Why it cannot be read or written, for people.
    public var reason: String

    /// An error for `path` with a one-line `reason`.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// `path: reason`.
    public var description: String { "\(path): \(reason)" }
}
