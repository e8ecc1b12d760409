import SpecFuzz

/// The JSON Schema validator the `body-schema` check uses.
public enum SpecValidation {
    /// SpecFuzz's validator: nil when the value matches, else the first violation's value-free
    /// signature (`/lang_version: type`, array indices as `*`), so one bug keeps one finding, and
    /// the check its reproducer makes.
    public static let validator: ConformanceChecker.Validator? = { value, schema in
        SchemaValidator().firstViolation(value, against: schema).map { ($0.signature, $0.bodyCheck) }
    }
}
