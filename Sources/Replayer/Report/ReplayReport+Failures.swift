extension ReplayReport {
    /// Failures in a class → count map, every class but `slow` (which is not an error).
    public static func hardFailures(_ classes: [String: Int]) -> Int {
        classes.filter { $0.key != FailureClass.slow.rawValue }.values.reduce(0, +)
    }
}
