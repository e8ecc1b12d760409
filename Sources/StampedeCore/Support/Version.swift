/// Stampede's version, written into corpora and reports.
public enum StampedeVersion {
    public static let current = "0.1.0"
    public static var toolName: String { "stampede " + current }
}
