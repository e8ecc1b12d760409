import Foundation
internal import StampedeHTTP

/// One thing wrong with a decoded session: where it is (session, 1-based step, field) and why.
public struct SessionProblem: Hashable, Sendable, CustomStringConvertible {
    /// The session's id.
    public var session: String
    /// The 1-based step number; nil for a session-level field.
    public var step: Int?
    /// The corpus field, e.g. `request.path` or `request.headers[2]`.
    public var field: String
    /// Why the value is refused (values in it are abbreviated).
    public var reason: String

    /// A problem at `field` of `session` (and `step`, 1-based).
    public init(session: String, step: Int?, field: String, reason: String) {
        self.session = session
        self.step = step
        self.field = field
        self.reason = reason
    }

    /// `session S step N field: reason`.
    public var description: String {
        "session \(session.abbreviated(limit: 60))" + (step.map { " step \($0)" } ?? "") + " \(field): \(reason)"
    }
}

/// Thrown by ``Session/validate()``: every problem of a session that decoded but must not load.
public struct SessionValidationError: Error, Sendable, CustomStringConvertible {
    /// At least one problem, in field order.
    public var problems: [SessionProblem]

    /// The problems joined with `; `.
    public var description: String { problems.map(\.description).joined(separator: "; ") }
}

/// The corpus checks every loader runs (validate, show, stats, mutate, replay, check): a session
/// that fails them is reported as damage with its session, step and field, and is not used.
extension Session {
    /// The longest method a corpus may carry (mutants' overlong methods stay below it).
    public static let maxMethodBytes = 65_536

    /// Throws every problem of this session, or returns when it may be used.
    public func validate() throws(SessionValidationError) {
        let problems = validationProblems()
        if !problems.isEmpty { throw SessionValidationError(problems: problems) }
    }

    /// Every problem of this session, in field order; empty when it may be used.
    public func validationProblems() -> [SessionProblem] {
        var problems: [SessionProblem] = []
        if !(weight > 0) || !weight.isFinite {
            problems.append(SessionProblem(session: id, step: nil, field: "weight", reason: "must be a positive number (got \(weight))"))
        }
        for (index, step) in steps.enumerated() {
            for (field, reason) in StepValidation.problems(in: step) {
                problems.append(SessionProblem(session: id, step: index + 1, field: field, reason: reason))
            }
        }
        return problems
    }
}

/// The per-step checks behind ``Session/validationProblems()``.
enum StepValidation {
    static func problems(in step: Step) -> [(field: String, reason: String)] {
        var problems = requestProblems(step.request)
        for (index, rule) in step.extract.enumerated() {
            if rule.source == .regex, let reason = regexProblem(rule.expression) {
                problems.append(("extract[\(index + 1)].expr", reason))
            }
            if let pattern = rule.pattern, let reason = regexProblem(pattern) {
                problems.append(("extract[\(index + 1)].pattern", reason))
            }
        }
        if let window = step.stream?.windowSeconds, !(window >= 0) || !window.isFinite {
            problems.append(("stream.window_s", "must be a non-negative number of seconds (got \(window))"))
        }
        if let poll = step.poll {
            if poll.maxAttempts < 0 { problems.append(("poll.max_attempts", "must not be negative (got \(poll.maxAttempts))")) }
            if poll.intervalMs < 0 { problems.append(("poll.interval_ms", "must not be negative (got \(poll.intervalMs))")) }
        }
        return problems
    }

    static func requestProblems(_ request: RequestTemplate) -> [(field: String, reason: String)] {
        var problems: [(field: String, reason: String)] = []
        if let reason = pathProblem(request.path) { problems.append(("request.path", reason)) }
        if request.method.utf8.count > Session.maxMethodBytes {
            problems.append(("request.method", "is \(request.method.utf8.count.withThousandsSeparators) bytes (limit \(Session.maxMethodBytes.withThousandsSeparators))"))
        } else if let reason = HTTPSyntax.methodProblem(request.method) {
            problems.append(("request.method", reason))
        }
        for (index, header) in request.headers.enumerated() {
            if let reason = HTTPSyntax.headerProblem(name: header.name, value: header.value) {
                problems.append(("request.headers[\(index + 1)]", reason))
            }
        }
        if let base64 = request.body?.base64, Base64.decode(base64) == nil {
            problems.append(("request.body.base64", "is not valid base64 (\(base64.utf8.count.withThousandsSeparators) bytes)"))
        }
        return problems
    }

    /// A path must be origin-form: it starts with one `/`, so it can never name another host
    /// (`@host:port/x`, `//host/x`, `http://host/x`), whatever base URL it is appended to.
    static func pathProblem(_ path: String) -> String? {
        guard path.hasPrefix("/") else {
            return "must start with \"/\" (origin-form; got \(path.abbreviated(limit: 60).debugDescription))"
        }
        if path.hasPrefix("//") {
            return "must not start with \"//\" (names a host; got \(path.abbreviated(limit: 60).debugDescription))"
        }
        return nil
    }

    static func regexProblem(_ pattern: String) -> String? {
        do {
            _ = try NSRegularExpression(pattern: pattern)
            return nil
        } catch {
            return "is not a valid regular expression (\(pattern.abbreviated(limit: 60).debugDescription))"
        }
    }
}

extension SessionValidationError {
    /// One ``CorpusDamage`` per problem, for the reader's scan.
    func damages(at byteOffset: Int, line: Int) -> [CorpusDamage] {
        problems.map { CorpusDamage(kind: .invalidSession, byteOffset: byteOffset, detail: "line \(line): \($0)") }
    }
}
