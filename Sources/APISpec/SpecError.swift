/// Why a spec could not be loaded or used; `description` is one line for `stampede: error: …`.
public struct SpecError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The one-line reason.
    public var description: String

    /// An error with a one-line reason.
    public init(_ description: String) {
        self.description = description
    }
}
