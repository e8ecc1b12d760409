import Hummingbird

/// The Grafana alerting webhook: no auth, every field optional, unknown fields ignored.
extension DemoAPI {
    func grafana(_ request: Request) async throws -> Response {
        let body = try await RequestInput.jsonObject(request)
        _ = try RequestInput.optionalString(body, "status")
        _ = try RequestInput.optionalString(body, "receiver")
        for name in ["groupLabels", "commonLabels", "commonAnnotations"] {
            try requireStringMap(body[name], ["body", name])
        }
        var alerts: [JSONValue] = []
        switch body["alerts"] {
        case nil, .null?: break
        case .array(let values)?: alerts = values
        case let other?:
            throw APIError.validation(["body", "alerts"], "Input should be a valid list, got \(other.typeName)")
        }
        var firing = 0
        for (index, alert) in alerts.enumerated() {
            guard alert.isObject else {
                throw APIError.validation(["body", "alerts", String(index)], "Input should be a valid dictionary, got \(alert.typeName)")
            }
            let status = try RequestInput.optionalString(alert, "status")
            _ = try RequestInput.optionalString(alert, "valueString")
            try requireStringMap(alert["labels"], ["body", "alerts", String(index), "labels"])
            try requireStringMap(alert["annotations"], ["body", "alerts", String(index), "annotations"])
            if status == nil || status == "firing" { firing += 1 }
        }
        return .json([
            "message": "Webhook received and processed", "alerts_received": JSONValue(alerts.count),
            "alerts_processed": JSONValue(alerts.count), "alerts_firing": JSONValue(firing),
        ])
    }

    /// Absent, null, or an object whose values are all strings (422 otherwise).
    private func requireStringMap(_ value: JSONValue?, _ location: [String]) throws {
        switch value {
        case nil, .null?: return
        case .object(let members)?:
            try defects.checkMapKeys(members.keys)
            for (key, member) in members where member.stringValue == nil {
                throw APIError.validation(location + [key], "Input should be a valid string, got \(member.typeName)")
            }
        case let other?:
            throw APIError.validation(location, "Input should be a valid dictionary, got \(other.typeName)")
        }
    }
}
