import StampedeCore
import StampedeHTTP

/// The binding rules: name, collection, link; then generation.
extension SpecBinding {
    static func bindPath(
        _ parameter: SpecOperation.Parameter, of op: SpecOperation, collection: String, spec: APISpecification,
        state: RecordedState
    ) -> ParameterBinding {
        func bound(_ source: ParameterBinding.Source, _ variable: String) -> ParameterBinding {
            ParameterBinding(parameter: parameter.name, location: .path, source: source, variable: variable)
        }
        let canonical = RecordedState.canonical(parameter.name)
        if let variable = state.variables.first(where: { RecordedState.canonical($0.name) == canonical }) {
            return bound(.name, variable.name)
        }
        // The segment recorded requests sent at this place: a `{{variable}}` or a recorded value.
        if let recorded = state.segments[collection] {
            if recorded.hasPrefix("{{"), recorded.hasSuffix("}}"), !recorded.dropFirst(2).contains("{") {
                return bound(.collection, String(recorded.dropFirst(2).dropLast(2)))
            }
            return ParameterBinding(parameter: parameter.name, location: .path, source: .collection, variable: nil)
        }
        if let variable = state.positional[EndpointTemplate.normalize(path: collection)] { return bound(.collection, variable) }
        if canonical == "id",
            let variable = state.variables.first(where: { $0.path == collection && $0.method == "POST" && $0.expression == "/id" })
        {
            return bound(.collection, variable.name)
        }
        // A link from a recorded operation's response whose extract rule reads the linked field.
        for source in spec.operations {
            for link in source.links where link.targetOperationID == op.id && link.parameter == parameter.name {
                let path = EndpointTemplate.normalize(path: source.path)
                if let variable = state.variables.first(where: { $0.path == path && $0.expression == link.pointer }) {
                    return bound(.link, variable.name)
                }
            }
        }
        return ParameterBinding(parameter: parameter.name, location: .path, source: .generated, variable: nil)
    }

    /// Required query and header parameters (by name from a variable, else generated) and the
    /// recorded session headers (CSRF, bearer) for the method's kind.
    static func addParameters(
        _ op: SpecOperation, state: RecordedState, to request: inout RequestTemplate, bindings: inout [ParameterBinding]
    ) {
        for parameter in op.parameters where parameter.required && (parameter.location == .query || parameter.location == .header) {
            let canonical = RecordedState.canonical(parameter.name)
            let variable = state.variables.first { RecordedState.canonical($0.name) == canonical }?.name
            let value = variable.map { "{{\($0)}}" } ?? SampleValues.text(for: parameter.schema)
            if parameter.location == .query {
                request.query.append(QueryItem(parameter.name, value))
            } else {
                request.headers.append(HTTPHeader(parameter.name, value))
            }
            bindings.append(
                ParameterBinding(
                    parameter: parameter.name, location: parameter.location, source: variable == nil ? .generated : .name,
                    variable: variable))
        }
        let safe = ["GET", "HEAD", "OPTIONS"].contains(op.method)
        for header in safe ? state.sessionHeaders.safe : state.sessionHeaders.unsafe where !request.headers.contains(named: header.name) {
            request.headers.append(header)
        }
    }

    /// The base body: a sample valid by the schema, JSON or form-encoded.
    static func body(for op: SpecOperation) -> BodyTemplate? {
        guard let body = op.body else { return nil }
        let value = SampleValues.value(for: body.schema)
        if body.contentType.contains("x-www-form-urlencoded"), let members = value.objectMembers {
            let items = members.map { QueryItem($0.key, $0.value.scalarText) }
            return BodyTemplate(text: QueryItem.encode(items), contentType: body.contentType)
        }
        guard body.contentType.contains("json") else { return BodyTemplate(text: value.scalarText, contentType: body.contentType) }
        return BodyTemplate(text: value.serialized(), contentType: body.contentType)
    }
}
