import Foundation
public import OpenAPIKit
import OpenAPIKit30
import OpenAPIKitCompat

/// Reads an API description — OpenAPI 3.0 or 3.1, JSON or YAML, or Swagger 2.0 (converted by
/// `Swagger2Converter`) — into the OpenAPI 3.1 model, with external `$ref`s inlined.
///
/// ```swift
/// let document = try SpecLoader.load(file: "openapi.yaml")
/// let spec = try APISpecification(document: document)
/// ```
public enum SpecLoader {
    /// Reads a spec file; `$ref`s to other files are read from its directory.
    /// - Throws: `SpecError` with a one-line reason.
    public static func load(file path: String) throws(SpecError) -> APISpec.Document {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SpecError("cannot read the spec \(path)")
        }
        let directory = (path as NSString).deletingLastPathComponent
        return try load(data: Array(data), name: path, directory: directory.isEmpty ? "." : directory)
    }

    /// Reads a spec from bytes. `name` is used in errors; `directory` (nil for a URL) is where
    /// external `$ref` files are looked up.
    /// - Throws: `SpecError` with a one-line reason.
    public static func load(data: [UInt8], name: String, directory: String?) throws(SpecError) -> APISpec.Document {
        var tree = try SpecTree.parse(data, name: name)
        var references = ExternalReferences(directory: directory)
        tree = try references.resolve(tree)
        tree = SpecTree.clampingIntegerBounds(tree)
        if let swagger = tree["swagger"] {
            guard "\(swagger)".hasPrefix("2") else { throw SpecError("\(name): unsupported Swagger version \(swagger)") }
            return try decode31(Swagger2Converter.convert(tree), name: name)
        }
        guard let version = tree["openapi"] as? String else {
            throw SpecError("\(name): not an OpenAPI document (no `openapi` or `swagger` version)")
        }
        if version.hasPrefix("3.0") {
            let data = try SpecTree.encode(tree)
            do {
                let document = try JSONDecoder().decode(OpenAPIKit30.OpenAPI.Document.self, from: data)
                return document.convert(to: .v3_1_1)
            } catch {
                throw SpecError("\(name): invalid OpenAPI \(version) document (\(describe(error)))")
            }
        }
        guard version.hasPrefix("3.") else { throw SpecError("\(name): unsupported OpenAPI version \(version)") }
        return try decode31(tree, name: name)
    }

    static func decode31(_ tree: [String: Any], name: String) throws(SpecError) -> APISpec.Document {
        let data = try SpecTree.encode(tree)
        do {
            return try JSONDecoder().decode(OpenAPIKit.OpenAPI.Document.self, from: data)
        } catch {
            throw SpecError("\(name): invalid OpenAPI document (\(describe(error)))")
        }
    }

    /// One line for a decoding error (OpenAPIKit's own description says where and what).
    static func describe(_ error: any Error) -> String {
        SpecTree.firstLine(OpenAPIKit.OpenAPI.Error(from: error).localizedDescription)
    }
}
