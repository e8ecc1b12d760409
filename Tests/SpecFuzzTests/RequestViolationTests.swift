import Mutator
import SpecFuzz
import StampedeCore
import StampedeHTTP
import Testing

/// `SchemaRequestGenerator.violations(of:)`: a whole request read back the way a server parses it,
/// what triage uses to check that a shrunk `negative-accepted` request still breaks its constraint.
@Suite struct RequestViolationTests {
    @Test func everyDemoRequestReadsBackAsExactlyWhatItWasMadeToBreak() throws {
        var negatives = 0
        for (path, method, operation, inherited) in try demoOperations() {
            let generator = SchemaRequestGenerator(operation: operation, path: path, method: method, pathItemParameters: inherited)
            for generated in generator.allRequests() {
                let found = generator.violations(of: generated.request)
                #expect(found == (generated.violation.map { [$0] } ?? []), "\(method) \(path) \(generated.operation): \(found)")
                if let violation = generated.violation {
                    negatives += 1
                    #expect(violation.location == generated.location && violation.constraint == generated.constraint)
                    #expect(violation.description.count <= 120)
                }
                // The valid request it was derived from breaks nothing.
                #expect(generator.violations(of: generated.reference).isEmpty, "\(method) \(path) reference of \(generated.operation)")
            }
        }
        #expect(negatives > 100)
    }

    @Test func aChangedRequestIsJudgedPartByPart() throws {
        let generator = try demoGenerator("PUT", "/api/v1/scripts/{id}")
        let long = String(repeating: "d", count: 1_025)
        var request = RequestTemplate(method: "PUT", path: "/api/v1/scripts/abc")
        request.body = BodyTemplate(text: #"{"description":"\#(long)"}"#, contentType: "application/json")
        request.headers = [HTTPHeader("Content-Type", "application/json")]
        let maxLength = RequestViolation(location: .body, name: "body", pointer: "/description", constraint: .maxLength)
        #expect(generator.violations(of: request) == [maxLength])
        #expect(maxLength.description == "body /description: maxLength")
        #expect(generator.isInstance(request))
        var other = request
        other.method = "GET"
        #expect(!generator.isInstance(other))
        other = request
        other.path = "/api/v1/notes/abc"
        #expect(!generator.isInstance(other))
        // Cut to the limit, the request is valid; without a body, the required body is missing.
        request.body = BodyTemplate(text: #"{"description":"\#(long.dropLast())"}"#, contentType: "application/json")
        #expect(generator.violations(of: request).isEmpty)
        request.body = nil
        #expect(generator.violations(of: request).map(\.description) == ["body: required"])
        // Text that is not JSON stands for itself: a string, not the object the schema wants.
        request.body = BodyTemplate(text: "name=x", contentType: "application/json")
        #expect(generator.violations(of: request).map(\.description) == ["body (root): type"])

        let events = try demoGenerator("GET", "/api/v1/executions/{id}/events")
        var query = RequestTemplate(method: "GET", path: "/api/v1/executions/e-1/events")
        query.query = [QueryItem("limit", "0"), QueryItem("offset", "5")]
        #expect(events.violations(of: query).map(\.description) == ["query limit: minimum"])
        query.query = [QueryItem("limit", "ten")]
        #expect(events.violations(of: query).map(\.description) == ["query limit: type"])
        query.query = [QueryItem("limit", "10")]
        #expect(events.violations(of: query).isEmpty)
    }

    @Test func aWronglyTypedArrayForAScalarQueryParameterIsSentAsOneItem() throws {
        let generator = try demoGenerator("GET", "/api/v1/notifications")
        let types = generator.allRequests().filter { $0.operation.name == "schema.negative.query.type" }
        #expect(!types.isEmpty)
        for generated in types {
            let name = try #require(generated.violation?.name)
            // `limit=` (from `[]`) breaks the integer's type; dropping the item would send a valid request.
            #expect(generated.request.query.filter { $0.name == name }.count == 1, "\(generated.operation): \(generated.request.query)")
        }
    }
}
