import StampedeCore
import StampedeHTTP

/// What a corpus tells the binder: its recorded endpoints and the variables its steps extract.
struct RecordedState {
    /// A variable some recorded step extracts.
    struct Variable {
        var name: String
        /// The normalized path of the step that extracts it (`/api/v1/scripts`).
        var path: String
        var method: String
        /// The JSON pointer it is extracted from (`/id`), or the header/cookie name.
        var expression: String
    }

    /// Spec operation index → the first recorded step that is an instance of it.
    var steps: [Int: Step] = [:]
    /// A spec path up to one of its parameters (`/v1/buckets/{id}/collections`) → the segment a
    /// recorded request sent there (`shelf-{{vu.tag}}`, `{{collection_id}}`).
    var segments: [String: String] = [:]
    var variables: [Variable] = []
    /// Normalized path before a `{{var}}` segment in a recorded path → that variable
    /// (`/api/v1/scripts` → `script_id` from `PUT /api/v1/scripts/{{script_id}}`).
    var positional: [String: String] = [:]
    /// Recorded request headers whose value is a template (`X-CSRF-Token: {{cookie.csrf_token}}`),
    /// for safe (GET-like) and unsafe methods apart.
    var sessionHeaders: (safe: [HTTPHeader], unsafe: [HTTPHeader]) = ([], [])

    init(sessions: [Session], apiPrefix: String, spec: APISpecification) {
        for session in sessions {
            for step in session.steps {
                let request = step.request
                let path = APIPrefix.rewrite(request.path, to: apiPrefix)
                if let index = spec.operationIndex(method: request.method, path: path) {
                    if steps[index] == nil { steps[index] = step }
                    noteSegments(path, of: spec.operations[index])
                }
                let normalized = EndpointTemplate.normalize(path: path)
                for rule in step.extract {
                    variables.append(Variable(name: rule.variable, path: normalized, method: request.method, expression: rule.expression))
                }
                notePositional(path)
                if step.role == nil { noteHeaders(request) }
            }
        }
    }

    /// The recorded segment at each parameter place of the operation a recorded path instantiates.
    private mutating func noteSegments(_ path: String, of op: SpecOperation) {
        let sent = PathMatcher.segments(path)
        let template = PathMatcher.segments(op.path)
        guard sent.count == template.count else { return }
        for (i, part) in template.enumerated() where part.hasPrefix("{") && part.hasSuffix("}") {
            let key = Self.prefixKey(template[..<i])
            if segments[key] == nil { segments[key] = sent[i] }
        }
    }

    /// `/v1/buckets/{id}/collections` for the spec path segments before a parameter.
    static func prefixKey(_ segments: ArraySlice<String>) -> String {
        "/" + segments.map { $0.hasPrefix("{") && $0.hasSuffix("}") ? "{id}" : $0 }.joined(separator: "/")
    }

    private mutating func notePositional(_ path: String) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        for (i, segment) in segments.enumerated() where segment.hasPrefix("{{") && segment.hasSuffix("}}") {
            let name = String(segment.dropFirst(2).dropLast(2))
            guard !name.contains("."), !name.contains("|") else { continue }
            let prefix = EndpointTemplate.normalize(path: segments[..<i].joined(separator: "/"))
            if positional[prefix] == nil { positional[prefix] = name }
        }
    }

    private mutating func noteHeaders(_ request: RequestTemplate) {
        let safe = ["GET", "HEAD", "OPTIONS"].contains(request.method)
        for header in request.headers where header.value.contains("{{") {
            if safe {
                if !sessionHeaders.safe.contains(named: header.name) { sessionHeaders.safe.append(header) }
            } else if !sessionHeaders.unsafe.contains(named: header.name) {
                sessionHeaders.unsafe.append(header)
            }
        }
    }

    /// `bucket_id`, `bucketId` and `bucket-id` compare equal.
    static func canonical(_ name: String) -> String {
        String(name.lowercased().filter { $0.isLetter || $0.isNumber })
    }
}
