/// An RFC 6901 JSON Pointer such as `/alerts/0/labels/env`.
///
/// `~1` stands for `/` and `~0` for `~` inside a token. The empty pointer `""` is the whole
/// document. In objects with duplicate keys, a token names the *first* member with that key.
/// As in JSON Patch (RFC 6902), the token `-` addresses the position after an array's last
/// element when setting.
///
/// ```swift
/// let pointer = try JSONPointer("/alerts/0/status")
/// let status = document[pointer: pointer]
/// ```
public struct JSONPointer: Hashable, Sendable, CustomStringConvertible {
    /// The unescaped reference tokens, outermost first.
    public var tokens: [String]

    /// The pointer to the whole document.
    public static let root = JSONPointer(tokens: [])

    public init(tokens: [String]) {
        self.tokens = tokens
    }

    /// Parses the string form of a pointer.
    /// - Throws: `JSONPointerError.invalidSyntax` when it does not start with `/` (and is not
    ///   empty) or holds a `~` not followed by `0` or `1`.
    public init(_ string: String) throws(JSONPointerError) {
        guard !string.isEmpty else {
            self.tokens = []
            return
        }
        guard string.utf8.first == UInt8(ascii: "/") else { throw .invalidSyntax(string) }
        var tokens: [String] = []
        for raw in string.utf8.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            guard raw.contains(UInt8(ascii: "~")) else {
                tokens.append(String(decoding: raw, as: UTF8.self))
                continue
            }
            var bytes: [UInt8] = []
            var iterator = raw.makeIterator()
            while let b = iterator.next() {
                guard b == UInt8(ascii: "~") else {
                    bytes.append(b)
                    continue
                }
                switch iterator.next() {
                case UInt8(ascii: "0"): bytes.append(UInt8(ascii: "~"))
                case UInt8(ascii: "1"): bytes.append(UInt8(ascii: "/"))
                default: throw .invalidSyntax(string)
                }
            }
            tokens.append(String(decoding: bytes, as: UTF8.self))
        }
        self.tokens = tokens
    }

    /// The pointer one level deeper.
    public func appending(_ token: String) -> JSONPointer {
        JSONPointer(tokens: tokens + [token])
    }

    /// The pointer one level deeper into an array.
    public func appending(_ index: Int) -> JSONPointer {
        appending(String(index))
    }

    /// The string form, with `~` and `/` escaped.
    public var description: String {
        var out = ""
        for token in tokens {
            out += "/"
            if token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) {
                out += token.replacingAll("~", with: "~0").replacingAll("/", with: "~1")
            } else {
                out += token
            }
        }
        return out
    }

    /// An array index token: digits only, no leading zero (RFC 6901 §4).
    static func arrayIndex(_ token: String) -> Int? {
        let utf8 = token.utf8
        guard let first = utf8.first, utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        if first == UInt8(ascii: "0") && utf8.count > 1 { return nil }
        return Int(token)
    }
}

/// Why a pointer could not be parsed or applied.
public enum JSONPointerError: Error, Hashable, Sendable {
    /// The pointer text is not valid RFC 6901 syntax.
    case invalidSyntax(String)
    /// A token named a member or index that does not exist (the pointer up to that token).
    case notFound(String)
    /// A token tried to descend into a scalar (the pointer up to that token).
    case notAContainer(String)
}

extension JSONValue {
    /// The value a pointer refers to, or `nil` if it does not resolve.
    public subscript(pointer pointer: JSONPointer) -> JSONValue? {
        var current = self
        for token in pointer.tokens {
            switch current {
            case .object(let members):
                guard let member = members.first(where: { $0.key == token }) else { return nil }
                current = member.value
            case .array(let items):
                guard let index = JSONPointer.arrayIndex(token), index < items.count else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }

    /// The value at a pointer given as a string; `nil` if the pointer is invalid or does not resolve.
    public subscript(pointer string: String) -> JSONValue? {
        guard let pointer = try? JSONPointer(string) else { return nil }
        return self[pointer: pointer]
    }

    /// Replaces (or adds) the value at a pointer.
    ///
    /// The parent must exist. In an object, the first member with the key is replaced, or a new
    /// member is appended; in an array, an existing index is replaced and `-` (or the index equal
    /// to the count) appends. The empty pointer replaces the whole document.
    /// - Throws: `JSONPointerError.notFound` / `.notAContainer` naming where it failed.
    public mutating func set(_ value: JSONValue, at pointer: JSONPointer) throws(JSONPointerError) {
        try set(value, tokens: pointer.tokens[...], path: JSONPointer.root)
    }

    private mutating func set(_ value: JSONValue, tokens: ArraySlice<String>, path: JSONPointer) throws(JSONPointerError) {
        guard let token = tokens.first else {
            self = value
            return
        }
        let rest = tokens.dropFirst()
        let here = path.appending(token)
        switch self {
        case .object(var members):
            if let i = members.firstIndex(where: { $0.key == token }) {
                self = .null  // release the old storage so the nested edit is in place
                try members[i].value.set(value, tokens: rest, path: here)
            } else if rest.isEmpty {
                members.append(JSONMember(token, value))
            } else {
                throw .notFound(here.description)
            }
            self = .object(members)
        case .array(var items):
            let index = token == "-" ? items.count : JSONPointer.arrayIndex(token)
            guard let index, index <= items.count else { throw .notFound(here.description) }
            if index == items.count {
                guard rest.isEmpty else { throw .notFound(here.description) }
                items.append(value)
            } else {
                self = .null
                try items[index].set(value, tokens: rest, path: here)
            }
            self = .array(items)
        default:
            throw .notAContainer(here.description)
        }
    }

    /// Removes the value at a pointer and returns it (the first member with the key in objects).
    /// - Throws: `JSONPointerError` when the pointer does not resolve or is the root.
    @discardableResult
    public mutating func remove(at pointer: JSONPointer) throws(JSONPointerError) -> JSONValue {
        guard let last = pointer.tokens.last else { throw .notFound("") }
        let parentPointer = JSONPointer(tokens: Array(pointer.tokens.dropLast()))
        guard let parent = self[pointer: parentPointer] else { throw .notFound(parentPointer.description) }
        let removed: JSONValue
        switch parent {
        case .object(var members):
            guard let i = members.firstIndex(where: { $0.key == last }) else { throw .notFound(pointer.description) }
            removed = members.remove(at: i).value
            try set(.object(members), at: parentPointer)
        case .array(var items):
            guard let i = JSONPointer.arrayIndex(last), i < items.count else { throw .notFound(pointer.description) }
            removed = items.remove(at: i)
            try set(.array(items), at: parentPointer)
        default:
            throw .notAContainer(pointer.description)
        }
        return removed
    }
}
