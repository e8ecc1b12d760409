/// Stampede's version, written into corpora and reports.
package enum StampedeVersion {
    package static let current = "0.1.0"
    package static var toolName: String { "stampede " + current }
}
