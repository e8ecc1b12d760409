import Foundation
public import StampedeCore

/// A corpus made from a spec alone (`stampede record --from-openapi`): one session per operation.
///
/// Each session starts with the identity steps taken from an existing corpus (sign-up, log-in),
/// then — when the operation needs an ID in its path — the collection's create operation with an
/// extract rule for the new ID (named by a link or by the parameter), then the operation itself.
/// The create operation's own session goes on create → read → update → delete where the spec has
/// those operations on the item path.
public enum SpecCorpus {
    /// The sessions for `spec`; `identity` are the steps every session starts with.
    public static func sessions(spec: APISpecification, identity: [Step]) -> [Session] {
        let binding = SpecBinding(spec: spec, sessions: identity.isEmpty ? [] : [Session(id: "identity", steps: identity)])
        var sessions: [Session] = []
        for bound in binding.operations {
            var steps = identity
            let op = bound.operation
            if let parameter = op.pathParameters.first, let create = creator(for: op, spec: spec) {
                let variable = variableName(parameter.name, op: op)
                steps.append(createStep(create, binding: binding, variable: variable, pointer: pointer(from: create, to: op, parameter.name)))
                steps.append(step(bound, substituting: parameter.name, with: variable))
            } else if op.method == "POST", op.pathParameters.isEmpty {
                steps += lifecycle(of: bound, binding: binding)
            } else {
                steps.append(Step(request: bound.request, expect: expectation(op)))
            }
            sessions.append(Session(id: "spec-" + slug(op.id), name: op.method + " " + op.path, steps: steps))
        }
        return sessions
    }

    /// The POST on the collection an item path's first parameter lives under.
    static func creator(for op: SpecOperation, spec: APISpecification) -> SpecOperation? {
        guard let range = op.path.range(of: "/{") else { return nil }
        let collection = String(op.path[..<range.lowerBound])
        return spec.operations.first { $0.method == "POST" && $0.path == collection }
    }

    /// create → read → update → delete on the item path under a collection's POST.
    static func lifecycle(of create: BoundOperation, binding: SpecBinding) -> [Step] {
        let item = binding.operations.filter {
            $0.operation.path.hasPrefix(create.operation.path + "/{") && $0.operation.path.dropFirst(create.operation.path.count + 2)
                .firstIndex(of: "/") == nil
        }
        guard let first = item.first, let parameter = first.operation.pathParameters.first else {
            return [Step(request: create.request, expect: expectation(create.operation))]
        }
        let variable = variableName(parameter.name, op: first.operation)
        var steps = [createStep(create.operation, binding: binding, variable: variable, pointer: pointer(from: create.operation, to: first.operation, parameter.name))]
        for method in ["GET", "PUT", "PATCH", "DELETE"] {
            guard let bound = item.first(where: { $0.operation.method == method }) else { continue }
            steps.append(step(bound, substituting: bound.operation.pathParameters.first?.name ?? parameter.name, with: variable))
        }
        return steps
    }

    static func createStep(_ create: SpecOperation, binding: SpecBinding, variable: String, pointer: String) -> Step {
        let request = binding.operations.first { $0.operation.id == create.id }?.request
            ?? RequestTemplate(method: create.method, path: create.path)
        return Step(request: request, expect: expectation(create), extract: [ExtractRule(variable: variable, source: .json, expression: pointer)])
    }

    /// The operation's request with its first path parameter taken from `variable`.
    static func step(_ bound: BoundOperation, substituting parameter: String, with variable: String) -> Step {
        var request = bound.request
        let segments = bound.operation.path.split(separator: "/", omittingEmptySubsequences: false)
        var sent = request.path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if let i = segments.firstIndex(of: "{\(parameter)}"), i < sent.count { sent[i] = "{{\(variable)}}" }
        request.path = sent.joined(separator: "/")
        return Step(request: request, expect: expectation(bound.operation))
    }

    /// The response field a create's link names for the parameter, else `/id`.
    static func pointer(from create: SpecOperation, to op: SpecOperation, _ parameter: String) -> String {
        create.links.first { $0.targetOperationID == op.id && $0.parameter == parameter }?.pointer ?? "/id"
    }

    /// `script_id` for `/scripts/{id}`; the parameter's own name when it is more than `id`.
    static func variableName(_ parameter: String, op: SpecOperation) -> String {
        guard RecordedState.canonical(parameter) == "id" else { return parameter }
        let segments = op.path.split(separator: "/")
        guard let i = segments.firstIndex(of: "{\(parameter)}"), i > 0 else { return "item_id" }
        var noun = String(segments[i - 1]).lowercased().filter { $0.isLetter || $0.isNumber || $0 == "_" }
        if noun.hasSuffix("s") { noun.removeLast() }
        return (noun.isEmpty ? "item" : noun) + "_id"
    }

    /// The class of the first declared 2xx (or 3xx) status.
    static func expectation(_ op: SpecOperation) -> Expectation? {
        for response in op.responses {
            if let code = Int(response.status), (200...399).contains(code) { return Expectation(status: code) }
            if ["2XX", "3XX"].contains(response.status.uppercased()), let cls = Int(response.status.prefix(1)) {
                return Expectation(status: nil, statusClass: cls)
            }
        }
        return nil
    }

    static func slug(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
    }
}

extension SpecCorpus {
    /// The steps of the first session with a login, up to and including it (sign-up and what
    /// the login needs before it), for `--identity-from`.
    public static func identitySteps(of sessions: [Session]) -> [Step] {
        for session in sessions {
            if let login = session.steps.firstIndex(where: { $0.role == .login }) {
                return Array(session.steps[...login])
            }
        }
        return []
    }
}
