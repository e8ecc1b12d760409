/// The JSON Schema validator the `body-schema` check uses.
public enum SpecValidation {
    /// The validator (`BasicSchemaValidator` until SpecFuzz's is merged).
    public static let validator: ConformanceChecker.Validator? = BasicSchemaValidator.validate
}
