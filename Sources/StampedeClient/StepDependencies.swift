public import StampedeCore

/// Which earlier steps a step needs before it can be sent by a fresh client.
public enum StepDependencies {
    /// Indexes (ascending) of the earlier steps of `session` that step `index` depends on,
    /// transitively: the nearest earlier step extracting each variable it references, the nearest
    /// earlier step setting each cookie it references as `{{cookie.NAME}}` (`Step.setsCookies`).
    ///
    /// - Parameters:
    ///   - identity: the step is a login or sign-up: every earlier step that sets a cookie is a
    ///     prerequisite too (the jar sends them all, e.g. a per-form XSRF cookie of `GET /login`).
    ///   - getFallback: the corpus has no `sets_cookies` at all: for an identity step, every earlier
    ///     GET counts as setting a cookie it needs.
    public static func prerequisites(of index: Int, in session: Session, identity: Bool, getFallback: Bool) -> [Int] {
        let steps = session.steps
        guard index > 0, index < steps.count else { return [] }
        var chosen = Set<Int>()
        var pending = [index]
        if identity {
            for j in 0..<index where steps[j].role != .logout && steps[j].role != .register {
                if !steps[j].setsCookies.isEmpty || (getFallback && steps[j].request.method == "GET") { pending.append(j) }
            }
            chosen.formUnion(pending.dropFirst())
        }
        while let k = pending.popLast() {
            for name in steps[k].referencedVariables() {
                guard let j = definer(of: name, before: k, in: steps), !chosen.contains(j) else { continue }
                chosen.insert(j)
                pending.append(j)
            }
        }
        return chosen.sorted()
    }

    /// The nearest step before `k` that binds `name` (an extract rule, or for `cookie.NAME` a
    /// recorded Set-Cookie), or nil (built-ins, secrets, nothing recorded).
    static func definer(of name: Substring, before k: Int, in steps: [Step]) -> Int? {
        if name.hasPrefix("cookie.") {
            let cookie = String(name.dropFirst("cookie.".count))
            return (0..<k).last { steps[$0].setsCookies.contains(cookie) }
        }
        if BuiltinVariables.isBuiltin(name) { return nil }
        return (0..<k).last { j in steps[j].extract.contains { $0.variable == name } }
    }
}
