import ArgumentParser
import PropertyCheck
import StampedeClient
import StampedeEngine

/// The property `stampede check` asserts of every response to a valid input.
enum CheckProperty: String, ExpressibleByArgument, CaseIterable {
    /// No 5xx status (the original suite's `status not in (500, 502, 503, 504)`, widened to all 5xx).
    case no5xx = "no-5xx"
    /// No transport failure (reset, empty reply, timeout): the server answered at all.
    case noTransportError = "no-transport-error"
    /// The recorded status class (e.g. 2xx) and nothing else; 5xx and transport failures included.
    case statusClass = "status-class"

    /// The verdict for one response; the failure text is the signature shrinking must keep.
    func verdict(for response: EngineResponse, expectedClass: Int) -> PropertyVerdict {
        switch self {
        case .no5xx:
            return FailureClass.classify(response, expectClass: nil) == .serverError ? .fail("HTTP \(response.status)") : .pass
        case .noTransportError:
            return response.failure.map { .fail($0.name) } ?? .pass
        case .statusClass:
            if let failure = response.failure { return .fail(failure.name) }
            return response.status / 100 == expectedClass ? .pass : .fail("HTTP \(response.status) (expected \(expectedClass)xx)")
        }
    }
}
