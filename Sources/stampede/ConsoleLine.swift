import Foundation
internal import StampedeHTTP

/// Shapes diagnostics for a terminal: one line, at most ``maxColumns`` columns.
enum ConsoleLine {
    /// No diagnostic line is longer (the style's limit for output read by people).
    static let maxColumns = 200

    /// Flushes stdout (so a diagnostic never lands inside a half-written result line), then
    /// returns `text` on one line: line breaks become `⏎`, and a longer text is cut to
    /// ``maxColumns`` with its size, `…(100,150 bytes)`.
    static func oneLine(_ text: String) -> String {
        fflush(nil)  // every output stream; naming `stdout` is not concurrency-safe in Swift 6
        let flat = text.contains(where: \.isNewline)
            ? String(text.map { $0.isNewline ? "⏎" : $0 })
            : text
        return flat.abbreviated(limit: maxColumns - 20)
    }
}
