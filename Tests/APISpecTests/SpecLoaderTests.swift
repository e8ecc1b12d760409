import APISpec
import DemoTarget
import Foundation
import OpenAPIKit
import StampedeEngine
import Testing

/// Loading specs: Swagger 2.0 conversion, OpenAPI 3.0 YAML with an external `$ref`, 3.1 over HTTP, bad input.
@Suite struct SpecLoaderTests {
    static let swagger = #"""
        {"swagger": "2.0", "info": {"title": "buckets", "version": "1"}, "host": "127.0.0.1:8888", "basePath": "/v1",
         "consumes": ["application/json"], "produces": ["application/json"],
         "securityDefinitions": {"basic": {"type": "basic"}},
         "parameters": {"bucket_id": {"name": "bucket_id", "in": "path", "type": "string", "required": true}},
         "definitions": {"Bucket": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"},
            "last_modified": {"type": "integer", "minimum": 0, "exclusiveMinimum": true}}}},
         "paths": {
           "/buckets": {"post": {"operationId": "create_bucket",
              "parameters": [{"name": "body", "in": "body", "schema": {"$ref": "#/definitions/Bucket"}}],
              "responses": {"201": {"description": "made", "schema": {"$ref": "#/definitions/Bucket"}}}}},
           "/buckets/{bucket_id}": {"parameters": [{"$ref": "#/parameters/bucket_id"}],
              "get": {"operationId": "get_bucket", "parameters": [{"name": "_fields", "in": "query", "type": "array",
                 "items": {"type": "string"}, "collectionFormat": "csv"}],
                 "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Bucket"}}, "default": {"description": "error"}}}},
           "/upload": {"post": {"consumes": ["multipart/form-data"], "parameters": [
              {"name": "file", "in": "formData", "type": "file", "required": true},
              {"name": "note", "in": "formData", "type": "string"}], "responses": {"200": {"description": "ok"}}}}}}
        """#

    @Test func swagger2IsConvertedToTheOpenAPI31Model() throws {
        let spec = try APISpecification(document: SpecLoader.load(data: Array(Self.swagger.utf8), name: "swagger.json", directory: nil))
        #expect(spec.operations.map(\.id).sorted() == ["POST /upload", "create_bucket", "get_bucket"])
        let get = try #require(spec.operation(method: "GET", path: "/v1/buckets/abc"))
        #expect(get.id == "get_bucket")
        #expect(get.path == "/v1/buckets/{bucket_id}")
        #expect(get.pathParameters.map(\.name) == ["bucket_id"])
        #expect(get.parameters.contains { $0.name == "_fields" && $0.location == .query })
        #expect(get.declares(status: 200) && get.declares(status: 418))  // `default` covers any status
        let create = try #require(spec.operations.first { $0.id == "create_bucket" })
        #expect(create.body?.contentType == "application/json")
        #expect(create.body?.schema?.objectContext?.requiredProperties == ["id"])
        // Swagger's boolean exclusiveMinimum became JSON Schema's numeric one.
        let lastModified = create.body?.schema?.objectContext?.properties["last_modified"]
        #expect(lastModified?.integerContext?.minimum?.exclusive == true)
        #expect(!create.declares(status: 200) && create.declares(status: 201))
        let upload = try #require(spec.operations.first { $0.path == "/v1/upload" })
        #expect(upload.body?.contentType == "multipart/form-data")
        #expect(upload.body?.schema?.objectContext?.requiredProperties == ["file"])
    }

    @Test func openAPI30YAMLReadsExternalReferencesNextToTheFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("spec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
            openapi: 3.0.3
            info: {title: pets, version: "1"}
            servers: [{url: "http://127.0.0.1/api"}]
            paths:
              /pets/{petId}:
                get:
                  operationId: getPet
                  parameters: [{name: petId, in: path, required: true, schema: {type: integer}}]
                  responses:
                    200:
                      description: a pet
                      content: {application/json: {schema: {$ref: "common.yaml#/Pet"}}}
            """.write(to: directory.appendingPathComponent("openapi.yaml"), atomically: true, encoding: .utf8)
        try """
            Pet: {type: object, required: [name], properties: {name: {type: string}, tag: {$ref: "#/Tag"}}}
            Tag: {type: string, nullable: true}
            """.write(to: directory.appendingPathComponent("common.yaml"), atomically: true, encoding: .utf8)
        let spec = try APISpecification(document: SpecLoader.load(file: directory.appendingPathComponent("openapi.yaml").path))
        let op = try #require(spec.operation(method: "GET", path: "/api/pets/7"))
        #expect(op.id == "getPet")
        let schema = try #require(op.responses.first { $0.status == "200" }?.content["application/json"] ?? nil)
        #expect(schema.objectContext?.requiredProperties == ["name"])
        #expect(schema.objectContext?.properties["tag"]?.nullable == true)
    }

    @Test func badSpecsGiveOneLineErrors() throws {
        let cases: [(String, String)] = [
            ("{not json: [", "not JSON or YAML"),
            (#"{"swagger": "1.2"}"#, "unsupported Swagger version"),
            (#"{"info": {}}"#, "not an OpenAPI document"),
            (#"{"openapi": "3.1.0", "info": {"title": "x"}, "paths": {}}"#, "invalid OpenAPI document"),
        ]
        for (text, reason) in cases {
            let error = #expect(throws: SpecError.self) { try SpecLoader.load(data: Array(text.utf8), name: "x.json", directory: nil) }
            #expect(error?.description.contains(reason) == true, "\(error?.description ?? "")")
            #expect(error?.description.contains("\n") == false)
        }
        #expect(throws: SpecError.self) { try SpecLoader.load(file: "/nonexistent/openapi.json") }
    }

    @Test func theDemoSpecIsFetchedAndFoundByAutoDiscovery() async throws {
        let server = try await DemoServer.start(DemoServerOptions(defects: false))
        let engine = try SpecFetcher.makeEngine()
        let fetcher = SpecFetcher(engine: engine)
        let fetched = try APISpecification(document: await fetcher.fetch(server.baseURL + "/openapi.json"))
        let found = try await fetcher.discover(baseURL: server.baseURL, prefixes: ["/api", "/api/v1"])
        let missing = await #expect(throws: SpecError.self) {
            try await fetcher.fetch(server.baseURL + "/nope.json")
        }
        engine.shutdown()
        await server.stop()
        #expect(fetched.operations.count >= 18)
        #expect(fetched.operation(method: "GET", path: "/api/v1/scripts/abc")?.id == "getScript")
        #expect(try APISpecification(document: found.document).operations.count == fetched.operations.count)
        #expect(missing?.description.contains("404") == true)
    }
}
