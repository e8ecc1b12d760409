/// Variables that every replay provides without an extract rule.
///
/// - `vu.index`, `vu.username`, `vu.email`, `vu.password`: the virtual client's identity
///   (`{prefix}_{index}_{runid}`, `{username}@{domain}`, the configured password);
/// - `run.id`: the run's short id;
/// - `random.uuid`, `random.int`, `random.hex`: fresh at each use (generators);
/// - `now.ms`, `now.s`, `now.iso`: the send time (generators);
/// - `cookie.NAME`: the value of cookie NAME in the client's jar (e.g. `cookie.csrf_token`);
/// - `secret.NAME`: a redacted credential, supplied at replay time (`STAMPEDE_SECRET_NAME`).
public enum BuiltinVariables {
    public static let clientNames = ["vu.index", "vu.username", "vu.email", "vu.password"]
    public static let generatorNames = ["random.uuid", "random.int", "random.hex", "now.ms", "now.s", "now.iso"]

    /// Whether `name` is provided by the replayer itself.
    public static func isBuiltin(_ name: some StringProtocol) -> Bool {
        name.hasPrefix("cookie.") || name.hasPrefix("secret.") || name == "run.id"
            || clientNames.contains(String(name)) || generatorNames.contains(String(name))
    }
}

extension Session {
    /// Variables a step references that neither a built-in nor an earlier step's extract rule
    /// (nor an earlier poll) defines: `(step index, name)` pairs.
    public func unresolvedVariables() -> [(step: Int, name: String)] {
        var defined = Set<String>()
        var missing: [(Int, String)] = []
        for (index, step) in steps.enumerated() {
            for name in step.referencedVariables() where !BuiltinVariables.isBuiltin(name) && !defined.contains(String(name)) {
                missing.append((index, String(name)))
            }
            for rule in step.extract { defined.insert(rule.variable) }
        }
        return missing
    }
}

extension Step {
    /// Every `{{name}}` in the request: path, query, headers and text body.
    public func referencedVariables() -> [Substring] {
        var names = Template.variables(in: request.path)
        for item in request.query {
            names += Template.variables(in: item.name)
            if let v = item.value { names += Template.variables(in: v) }
        }
        for header in request.headers { names += Template.variables(in: header.value) }
        if let text = request.body?.text { names += Template.variables(in: text) }
        return names
    }
}
