import Foundation

/// Inlines `$ref`s that point outside the document (`common.yaml#/components/schemas/Error`),
/// reading the files next to the spec file, before the OpenAPI model is decoded. Local refs of
/// the main document stay: OpenAPIKit dereferences those. Local refs inside an external file
/// point into that file, so they are inlined too (cycles end at `maximumDepth` as `{}`).
struct ExternalReferences {
    /// Where relative file names are looked up; nil (a spec from a URL) leaves external refs alone.
    let directory: String?
    private var files: [String: [String: Any]] = [:]
    static let maximumDepth = 24

    init(directory: String?) {
        self.directory = directory
    }

    mutating func resolve(_ tree: [String: Any]) throws(SpecError) -> [String: Any] {
        guard directory != nil else { return tree }
        return try walk(tree, root: nil, depth: 0) as? [String: Any] ?? tree
    }

    /// `root` is the external file a node came from (nil: the main document).
    private mutating func walk(_ node: Any, root: [String: Any]?, depth: Int) throws(SpecError) -> Any {
        if let array = node as? [Any] {
            var out: [Any] = []
            out.reserveCapacity(array.count)
            for item in array { out.append(try walk(item, root: root, depth: depth)) }
            return out
        }
        guard let dict = node as? [String: Any] else { return node }
        if let ref = dict["$ref"] as? String {
            if let target = try target(of: ref, root: root) {
                guard depth < Self.maximumDepth else { return [String: Any]() }
                return try walk(target.node, root: target.root, depth: depth + 1)
            }
            return dict
        }
        var out: [String: Any] = [:]
        for (key, value) in dict { out[key] = try walk(value, root: root, depth: depth) }
        return out
    }

    /// The node a ref names and the file it lives in; nil for a local ref of the main document.
    private mutating func target(of ref: String, root: [String: Any]?) throws(SpecError) -> (node: Any, root: [String: Any])? {
        let parts = ref.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let file = parts.first.map(String.init) ?? ""
        let pointer = parts.count > 1 ? String(parts[1]) : ""
        let document: [String: Any]
        if file.isEmpty {
            guard let root else { return nil }
            document = root
        } else {
            document = try load(file)
        }
        guard let node = SpecTree.node(at: pointer, in: document) else {
            throw SpecError("$ref \(ref) names nothing")
        }
        return (node, document)
    }

    private mutating func load(_ file: String) throws(SpecError) -> [String: Any] {
        if let cached = files[file] { return cached }
        guard let directory, !file.contains("://") else { throw SpecError("$ref to \(file): only files next to the spec are read") }
        let path = file.hasPrefix("/") ? file : directory + "/" + file
        guard let data = FileManager.default.contents(atPath: path) else { throw SpecError("$ref to \(file): cannot read \(path)") }
        let tree = try SpecTree.parse(Array(data), name: file)
        files[file] = tree
        return tree
    }
}
