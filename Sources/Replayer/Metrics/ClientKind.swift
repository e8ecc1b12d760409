/// The two kinds of virtual client; `--mode both` runs them at the same time.
public enum ClientKind: String, Codable, Sendable, CaseIterable {
    /// Replays baseline sessions as a logged-in user would.
    case user
    /// Sends mutants of recorded steps.
    case monkey
}

extension ClientKind {
    /// Position in `allCases`, for per-kind arrays.
    var index: Int { self == .user ? 0 : 1 }
}
