import Foundation
import StampedeCore
import StampedeHTTP

/// Names a client chose itself (`PUT /projects/alpha`, `POST /projects {"id":"alpha"}`, a rename to
/// `report.txt`): recorded once, they would be shared by every replaying client, which then
/// collide (409, 412, 404). They become `alpha-{{vu.tag}}` / `report-{{vu.tag}}.txt`.
enum ClientNames {
    /// Body fields whose value names what the request creates or renames.
    static let nameKeys: Set<String> = [
        "id", "name", "slug", "key", "path", "filename", "file_name", "fileName", "title", "new_name", "newName", "newname",
        "destination", "target", "label", "handle", "collection", "bucket", "project", "folder", "directory",
    ]

    /// A name a client would pick: 1–64 ASCII letters, digits, `.`, `_`, `-`, with a letter, not `.`/`..`.
    static func isNameShaped(_ value: String) -> Bool {
        guard (1...64).contains(value.utf8.count), value.contains(where: \.isLetter), value != ".", value != ".." else { return false }
        return value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") }
    }

    /// Whether `text` holds `word` with no name character (letter, digit, `.`, `_`, `-`) on either side.
    static func containsWord(_ text: String, _ word: String) -> Bool {
        let isNameCharacter = { (c: Character) in c.isLetter || c.isNumber || c == "." || c == "_" || c == "-" }
        var rest = text[...]
        while let range = rest.range(of: word) {
            let before = range.lowerBound == text.startIndex ? nil : text[text.index(before: range.lowerBound)]
            let after = range.upperBound == text.endIndex ? nil : text[range.upperBound]
            if !(before.map(isNameCharacter) ?? false) && !(after.map(isNameCharacter) ?? false) { return true }
            rest = text[range.upperBound...]
        }
        return false
    }

    /// `alpha` → `alpha-{{vu.tag}}`; `report.txt` → `report-{{vu.tag}}.txt` (an extension of 1–5
    /// letters or digits stays last, so the file keeps its type).
    static func tagged(_ name: String) -> String {
        if let dot = name.lastIndex(of: "."), dot > name.startIndex {
            let ext = name[name.index(after: dot)...]
            if (1...5).contains(ext.count), ext.allSatisfy({ $0.isLetter || $0.isNumber }) {
                return name[..<dot] + "-{{vu.tag}}." + ext
            }
        }
        return name + "-{{vu.tag}}"
    }
}

extension CorrelationPass {
    /// Makes every name the client chose and reused unique per client (see ``ClientNames``).
    ///
    /// A name qualifies when a creating request introduced it (the last path segment of a `PUT`
    /// answered 201 or of a successful `MKCOL`; the `Destination` of a `MOVE`/`COPY`; a name field of
    /// a successful `POST`/`PUT`/`PATCH` body), no earlier request or response carried it (else it is
    /// the target's constant or the server's value), it is not an identity value, and a later
    /// request uses it.
    mutating func templateClientNames() {
        var chosen: [(name: String, origin: String)] = []
        var sent: Set<String> = []
        for i in drafts.indices {
            for (name, place) in namesIntroduced(by: i) where !sent.contains(name) && !chosen.contains(where: { $0.name == name }) {
                guard ClientNames.isNameShaped(name), !EndpointTemplate.isIdentifier(name[...]),
                    !identity.contains(where: { $0.literal == name }), !respondedBefore(i, name),
                    drafts[(i + 1)...].contains(where: { $0.mentions(name) })
                else { continue }
                chosen.append((name, "\(name) (step \(i + 1) \(place))"))
            }
            for slot in drafts[i].slotValues() {
                sent.insert(slot.value)
                if slot.value.contains("/") { sent.formUnion(slot.value.pathSegments) }
            }
        }
        guard !chosen.isEmpty else { return }
        let names = Set(chosen.map(\.name))
        for i in drafts.indices {
            drafts[i].rewrite { slot in
                guard !slot.isNumber else { return nil }
                if names.contains(slot.value) { return ClientNames.tagged(slot.value) }
                guard slot.kind != .pathSegment, slot.value.contains("/") else { return nil }
                let value = slot.value.replacingPathSegments { names.contains($0) ? ClientNames.tagged($0) : nil }
                return value == slot.value ? nil : value
            }
        }
        define("vu.tag", .client, "names the client chose, made unique per client: " + chosen.map(\.origin).joined(separator: ", "))
    }

    /// The names request `i` introduces, with where each sits (see ``templateClientNames()``).
    func namesIntroduced(by i: Int) -> [(String, String)] {
        let draft = drafts[i], exchange = draft.exchange
        let method = exchange.method.uppercased(), status = exchange.status
        guard (200..<300).contains(status) else { return [] }
        var out: [(String, String)] = []
        let lastSegment = draft.segments.last { !$0.isEmpty }.map { PercentEncoding.decode($0) }
        if let lastSegment, (method == "PUT" && status == 201) || method == "MKCOL" {
            out.append((lastSegment, "\(method) path"))
        }
        if method == "MOVE" || method == "COPY", let destination = exchange.requestHeaders.value(named: "Destination") {
            let path = destination.prefix { $0 != "?" && $0 != "#" }
            if let last = path.split(separator: "/").last { out.append((PercentEncoding.decode(last), "\(method) Destination")) }
        }
        guard method == "POST" || method == "PUT" || method == "PATCH" else { return out }
        for slot in draft.slotValues() where (slot.kind == .jsonLeaf || slot.kind == .form) && !slot.isNumber && ClientNames.nameKeys.contains(slot.key) {
            out.append((slot.value, "\(method) body \(slot.key)"))
        }
        return out
    }

    /// Whether a response before step `i` carried `name` as a whole word (in its kept body or a header):
    /// `notes` in `"/buckets/notes"` counts, in `"release-notes"` or `"footnotes"` it does not.
    func respondedBefore(_ i: Int, _ name: String) -> Bool {
        drafts[..<i].contains { draft in
            let exchange = draft.exchange
            return ClientNames.containsWord(String(decoding: exchange.responseBody, as: UTF8.self), name)
                || exchange.responseHeaders.contains { ClientNames.containsWord($0.value, name) }
        }
    }
}

extension StepDraft {
    /// Whether the request carries `value` as a whole value or as a segment of a path-like value.
    func mentions(_ value: String) -> Bool {
        slotValues().contains { slot in
            slot.value == value || (slot.value.contains("/") && slot.value.pathSegments.contains(value))
        }
    }
}
