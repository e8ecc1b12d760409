import Hummingbird

/// A client error the demo API answers with a FastAPI-style `{"detail": ...}` JSON body.
struct APIError: Error {
    let status: HTTPResponse.Status
    var detail: JSONValue
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ detail: String) {
        self.status = status
        self.detail = .string(detail)
    }

    static let unauthorized = APIError(.unauthorized, "Not authenticated")
    static let csrf = APIError(.forbidden, "CSRF validation failed")
    static let notFound = APIError(.notFound, "Not Found")

    /// A 422 naming the offending field, shaped like FastAPI's validation errors.
    static func validation(_ location: [String], _ message: String) -> APIError {
        var error = APIError(.unprocessableContent, message)
        error.detail = [["loc": .array(location.map { .string($0) }), "msg": .string(message), "type": "value_error"]]
        return error
    }

    static func methodNotAllowed(allowed: [HTTPRequest.Method]) -> APIError {
        var error = APIError(.methodNotAllowed, "Method Not Allowed")
        error.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
        return error
    }

    var response: Response {
        var response = Response.json(["detail": detail], status: status)
        for field in headers { response.headers.append(field) }
        return response
    }
}

extension Response {
    /// A JSON response with `Content-Type: application/json`.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        let buffer = ByteBuffer(string: value.serialized)
        return Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: buffer)
        )
    }

    /// An empty 204.
    static var noContent: Response {
        Response(status: .noContent)
    }
}
