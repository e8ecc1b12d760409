import StampedeCore

/// The input strategies of the original suite's Hypothesis tests, as schemas (at least as wide).
public enum PropertyStrategies {
    /// `POST /auth/register` bodies: username of 1–32 non-space characters, arbitrary email-like
    /// text (one `@` between arbitrary parts), password of 6–64 arbitrary characters.
    public static var register: PropertySchema {
        .object([
            PropertyField("username", .string(PropertyStringRule(length: 1...32, alphabet: .nonSpace))),
            PropertyField("email", .string(PropertyStringRule(length: 3...64, format: .email))),
            PropertyField("password", .string(PropertyStringRule(length: 6...64))),
        ])
    }

    /// `POST /alerts/grafana` bodies: 1–5 alerts whose label and annotation maps hold up to 8
    /// arbitrary text entries, every other field optional (missing in some inputs).
    public static var grafanaWebhook: PropertySchema {
        let text = PropertySchema.string(PropertyStringRule(length: 0...32))
        let textMap = PropertySchema.map(keys: PropertyStringRule(length: 0...16), values: text, count: 0...8)
        let status = PropertySchema(.string(PropertyStringRule(length: 0...16)), exemplar: .string("firing"))
        let alert = PropertySchema.object([
            PropertyField("status", status, required: false),
            PropertyField("labels", textMap, required: false),
            PropertyField("annotations", textMap, required: false),
            PropertyField("valueString", text, required: false),
        ])
        return .object([
            PropertyField("status", status, required: false),
            PropertyField("receiver", text, required: false),
            PropertyField("alerts", .array(alert, count: 1...5)),
            PropertyField("groupLabels", textMap, required: false),
            PropertyField("commonLabels", textMap, required: false),
            PropertyField("commonAnnotations", textMap, required: false),
        ])
    }
}
