@testable import DemoTarget
import Foundation
import Mutator
import OpenAPIKit
import SpecFuzz
import StampedeCore
import StampedeHTTP
import Testing

/// The demo target's own OpenAPI 3.1 document, dereferenced.
func demoOperations() throws -> [(path: String, method: String, operation: DereferencedOperation, inherited: [DereferencedParameter])] {
    let document = try JSONDecoder().decode(OpenAPI.Document.self, from: Data(OpenAPIDocument.text.utf8))
    let dereferenced = try document.locallyDereferenced()
    var out: [(String, String, DereferencedOperation, [DereferencedParameter])] = []
    for (path, item) in dereferenced.paths {
        for endpoint in item.endpoints {
            out.append(("/api/v1" + path.rawValue, endpoint.method.rawValue.uppercased(), endpoint.operation, item.parameters))
        }
    }
    return out
}

func demoGenerator(_ method: String, _ path: String, bound: [String: String] = [:]) throws -> SchemaRequestGenerator {
    let found = try #require(try demoOperations().first { $0.method == method && $0.path == path })
    return SchemaRequestGenerator(operation: found.operation, path: path, method: method, bound: bound, pathItemParameters: found.inherited)
}

@Suite struct SchemaRequestGeneratorTests {
    @Test func everyDemoOperationGetsPositiveAndSendableRequests() throws {
        let operations = try demoOperations()
        #expect(operations.count >= 15)
        for (path, method, operation, inherited) in operations {
            let generator = SchemaRequestGenerator(operation: operation, path: path, method: method, pathItemParameters: inherited)
            let requests = generator.allRequests()
            let anyPositive = requests.contains { $0.isPositive }
            #expect(anyPositive, "\(method) \(path)")
            for generated in requests {
                let request = generated.request
                #expect(!request.path.contains("{"), "unfilled path \(request.path)")
                #expect(request.path.utf8.allSatisfy { Self.pathByte($0) }, "unencoded path \(request.path)")
                for header in request.headers {
                    #expect(!header.value.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 })
                    #expect(!header.name.isEmpty && header.name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") })
                }
                #expect(generated.operation.description.count <= 200)
                if let parsed = SchemaRequest.parse(operationName: generated.operation.name) {
                    #expect(parsed.location == generated.location && parsed.constraint == generated.constraint)
                } else {
                    #expect(generated.operation.name == SchemaRequest.positiveOperator)
                }
            }
        }
    }

    static func pathByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || "-._~/%".utf8.contains(b)
    }

    @Test func queryNegativesBreakOneBoundAndKeepTheBoundPathValue() throws {
        let generator = try demoGenerator("GET", "/api/v1/executions/{id}/events", bound: ["id": "{{execution_id}}"])
        let requests = generator.allRequests()
        #expect(requests.allSatisfy { $0.request.path == "/api/v1/executions/{{execution_id}}/events" })
        let minimum = try #require(requests.first { $0.operation.name == "schema.negative.query.minimum" })
        #expect(minimum.location == .query && minimum.constraint == .minimum)
        let limit = minimum.request.query.first { $0.name == "limit" }?.value
        let offset = minimum.request.query.first { $0.name == "offset" }?.value
        #expect(limit == "0" || offset == "-1", "\(minimum.request.query)")
        #expect(requests.contains { $0.operation.name == "schema.negative.query.maximum" })
        #expect(requests.contains { $0.operation.name == "schema.negative.query.type" })
        // Positives: the boundaries 1 and 1000 of `limit` both appear.
        let limits = Set(requests.filter(\.isPositive).compactMap { $0.request.query.first { $0.name == "limit" }?.value })
        #expect(limits.isSuperset(of: ["1", "1000"]))
    }

    @Test func bodyNegativesViolateExactlyTheirLabelledConstraint() throws {
        let generator = try demoGenerator("POST", "/api/v1/auth/register")
        let operation = try #require(try demoOperations().first { $0.path == "/api/v1/auth/register" }?.operation)
        let bodySchema = try #require(operation.requestBody?.content.first?.value.schema)
        let requests = generator.allRequests()
        var labels: Set<String> = []
        for generated in requests {
            #expect(generated.request.header("Content-Type") == "application/json")
            guard let text = generated.request.body?.text else {
                #expect(generated.constraint == .required && generated.location == .body)
                continue
            }
            let violations = SchemaValidator().validate(try json(text), against: bodySchema)
            #expect(violations.map(\.constraint) == (generated.constraint.map { [$0] } ?? []), "\(generated.operation): \(violations)")
            labels.insert(generated.operation.name)
        }
        for constraint in ["pattern", "minLength", "maxLength", "format", "required", "type"] {
            #expect(labels.contains("schema.negative.body." + constraint), "no body \(constraint) negative")
        }
    }

    @Test func theSameSeedGivesTheSameRequestAndAnOperationRecreatesIt() throws {
        let generator = try demoGenerator("PUT", "/api/v1/scripts/{id}", bound: ["id": "{{script_id}}"])
        for seed in [UInt64(0), 7, 1 << 40, UInt64.max] {
            let first = generator.request(seed: seed)
            #expect(generator.request(seed: seed) == first)
            #expect(generator.request(for: first.operation) == first)
            let mutant = first.mutant(session: 2, step: 1)
            #expect(mutant.operations == [first.operation] && mutant.request == first.request)
        }
        let batch = generator.generate(seed: 100, count: generator.caseCount)
        #expect(Set(batch.map(\.request)).count == batch.count, "a batch of caseCount requests holds each case once")
    }

    @Test func headerAndCookieParametersTravelSafely() throws {
        let header = try schema(#"{"type":"string","minLength":2,"maxLength":8,"pattern":"^[a-z]+$"}"#)
        let count = try schema(#"{"type":"integer","minimum":0,"maximum":9}"#)
        let generator = SchemaRequestGenerator(
            path: "/items/{id}", method: "get",
            parameters: [
                SchemaParameter(name: "id", location: .path, required: true, schema: try schema(#"{"type":"string","minLength":1}"#)),
                SchemaParameter(name: "X-Tag", location: .header, required: true, schema: header),
                SchemaParameter(name: "page", location: .cookie, required: false, schema: count),
            ],
            body: nil, bound: ["id": "a b/ü"])
        let requests = generator.allRequests()
        #expect(requests.first?.request.path == "/items/a%20b%2F%C3%BC")
        #expect(requests.contains { $0.operation.name == "schema.negative.header.pattern" })
        #expect(requests.contains { $0.operation.name == "schema.negative.header.required" && $0.request.header("X-Tag") == nil })
        #expect(requests.contains { $0.operation.name == "schema.negative.cookie.maximum" && $0.request.header("Cookie") == "page=10" })
        #expect(requests.allSatisfy { $0.request.method == "GET" })
    }
}
