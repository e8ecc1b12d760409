import StampedeCore

/// JSON-aware body operators: they edit the parsed tree, or the text when the point is to break it.
enum JSONOperators {
    /// Picks a node matching `filter` and edits it; nil when there is none.
    static func editNode(
        _ ctx: inout MutationContext, _ rng: inout SeededGenerator, preferNonRoot: Bool = true,
        where filter: @escaping (JSONValue) -> Bool,
        _ edit: @escaping (inout JSONValue, inout SeededGenerator) -> String?
    ) -> String? {
        // The generator is threaded through the closure by value and written back.
        var local = rng
        let result = ctx.withJSON { root -> String? in
            guard let path = pick(in: root, &local, preferNonRoot: preferNonRoot, where: filter) else { return nil }
            let where_ = root.pointerText(for: path[...])
            guard let detail = root.modify(at: path[...], { node in edit(&node, &local) }) ?? nil else { return nil }
            return where_ + " " + detail
        }
        rng = local
        return result
    }

    /// The path of one node matching `filter`, uniformly among them (the root only when it is the
    /// only one, with preferNonRoot), found by position: pre-order puts the root first.
    static func pick(
        in root: JSONValue, _ rng: inout SeededGenerator, preferNonRoot: Bool, where filter: (JSONValue) -> Bool
    ) -> [Int]? {
        let count = root.nodeCount(where: filter)
        let skipRoot = preferNonRoot && count > 1 && filter(root)
        guard count > 0 else { return nil }
        return root.nodePath(at: rng.next(below: count - (skipRoot ? 1 : 0)) + (skipRoot ? 1 : 0), where: filter)
    }

    /// Places a bomb on any node, as `editNode` picks one; the bomb is built only if a later operator reads the tree.
    static func placeBomb(
        _ ctx: inout MutationContext, _ rng: inout SeededGenerator, _ shape: JSONBomb.Shape, preferNonRoot: Bool
    ) -> String? {
        var local = rng
        var where_ = ""
        let bomb = ctx.placeBomb(shape) { root in
            guard let path = pick(in: root, &local, preferNonRoot: preferNonRoot, where: { _ in true }) else { return nil }
            where_ = root.pointerText(for: path[...])
            return path
        }
        rng = local
        return bomb.map { where_ + " " + $0.detail }
    }

    static func isString(_ v: JSONValue) -> Bool { v.stringValue != nil }
    static func isNonEmptyObject(_ v: JSONValue) -> Bool { (v.objectMembers?.isEmpty == false) }
    static func isObject(_ v: JSONValue) -> Bool { v.objectMembers != nil }
    static func isScalar(_ v: JSONValue) -> Bool { !v.isContainer }
    static func isNumber(_ v: JSONValue) -> Bool { v.doubleValue != nil }

    static func randomScalar(_ rng: inout SeededGenerator) -> JSONValue {
        switch rng.next(below: 6) {
        case 0: .null
        case 1: .bool(rng.chance(0.5))
        case 2: .number(JSONNumber(text: rng.element(validBoundaryNumbers)))
        case 3: .string(rng.element(FuzzValues.specialStrings))
        case 4: .string(rng.element(FuzzValues.unicodeStrings))
        default: .string("x")
        }
    }

    /// The boundary numbers that are valid JSON number text, in their order.
    static let validBoundaryNumbers: [String] = FuzzValues.boundaryNumbers.filter(isValidNumberText)

    static func isValidNumberText(_ s: String) -> Bool {
        (try? JSONParser().parse(s))?.doubleValue != nil
    }

    static let kinds = JSONValue.Kind.allCases

    /// A value of a different kind than `value`, derived from it where that makes sense.
    static func confuse(_ value: JSONValue, _ rng: inout SeededGenerator) -> JSONValue {
        // The i-th kind other than the value's own, as `allCases.filter { $0 != own }[i]` without the array.
        let own = kinds.firstIndex(of: value.kind) ?? 0
        let i = rng.next(below: kinds.count - 1)
        switch kinds[i < own ? i : i + 1] {
        case .null: return .null
        case .bool: return .bool(rng.chance(0.5))
        case .number:
            if case .string(let s) = value, let d = Double(s), d.isFinite, isValidNumberText(s) {
                return .number(JSONNumber(text: s, value: d))
            }
            return .number(JSONNumber(text: rng.element(["0", "1", "-1", "1.5", "1e3"])))
        case .string:
            return .string(value.scalarText)
        case .array:
            return rng.chance(0.5) ? .array([]) : .array([value])
        case .object:
            return rng.chance(0.5) ? .object([]) : .object([JSONMember("value", value)])
        }
    }

    /// Catalog order is part of reproducibility: new operators go at the end.
    static let all: [MutationOperator] = [
        dropKey, addKey, renameKey, duplicateKey, typeConfuse, boundaryNumberOperator, emptyString, hugeString,
        unicodeString, controlString, deepNesting, wrongTopLevel, truncate, invalidSyntax, invalidUTF8,
        oddKey, nullInArray, loneSurrogate, wideBomb,
    ]

    static let dropKey = MutationOperator("json.drop-key", [.body], requires: .json) { ctx, rng in
            editNode(&ctx, &rng, preferNonRoot: false, where: isNonEmptyObject) { node, rng in
                guard case .object(var members) = node, !members.isEmpty else { return nil }
                let removed = members.remove(at: rng.next(below: members.count))
                node = .object(members)
                return "drop \"\(removed.key)\""
            }
        }

    static let addKey = MutationOperator("json.add-key", [.body], weight: 0.7, requires: .json) { ctx, rng in
            editNode(&ctx, &rng, preferNonRoot: false, where: isObject) { node, rng in
                guard case .object(var members) = node else { return nil }
                let key = rng.chance(0.5) ? rng.element(FuzzValues.unknownKeys) : rng.element(FuzzValues.oddKeys)
                members.insert(JSONMember(key, randomScalar(&rng)), at: rng.next(below: members.count + 1))
                node = .object(members)
                return "add \(abbreviate(key))"
            }
        }

    static let renameKey = MutationOperator("json.rename-key", [.body], weight: 0.7, requires: .json) { ctx, rng in
            editNode(&ctx, &rng, preferNonRoot: false, where: isNonEmptyObject) { node, rng in
                guard case .object(var members) = node, !members.isEmpty else { return nil }
                let i = rng.next(below: members.count)
                let old = members[i].key
                let new: String
                switch rng.next(below: 6) {
                case 0: new = old.uppercased()
                case 1: new = old + "_"
                case 2: new = ""
                case 3: new = " " + old
                case 4: new = String(old.dropLast())
                default: new = old.contains("_") ? old.split(separator: "_").joined() : old + "Id"
                }
                members[i].key = new
                node = .object(members)
                return "\"\(old)\" → \"\(new)\""
            }
        }

    static let duplicateKey = MutationOperator("json.duplicate-key", [.body], weight: 0.5, requires: .json) { ctx, rng in
            editNode(&ctx, &rng, preferNonRoot: false, where: isNonEmptyObject) { node, rng in
                guard case .object(var members) = node, !members.isEmpty else { return nil }
                let i = rng.next(below: members.count)
                let copy = JSONMember(members[i].key, confuse(members[i].value, &rng))
                members.insert(copy, at: rng.chance(0.5) ? i : i + 1)
                node = .object(members)
                return "\"\(copy.key)\""
            }
        }

    static let typeConfuse = MutationOperator("json.type-confuse", [.body], weight: 2, requires: .json) { ctx, rng in
            editNode(&ctx, &rng, where: { _ in true }) { node, rng in
                let old = node.kind
                node = confuse(node, &rng)
                return "\(old.rawValue) → \(node.kind.rawValue)"
            }
        }

    static let boundaryNumberOperator = MutationOperator("json.boundary-number", [.body], weight: 1.5, requires: .json, apply: boundaryNumber)

    static func boundaryNumber(_ ctx: inout MutationContext, _ rng: inout SeededGenerator) -> String? {
        let hasNumbers: Bool = ctx.readJSON { (root: JSONValue) -> Bool in root.nodeCount(where: isNumber) > 0 } ?? false
        let filter: (JSONValue) -> Bool = { value in hasNumbers ? isNumber(value) : isScalar(value) }
        return editNode(&ctx, &rng, where: filter) { node, rng in
            let text = rng.element(FuzzValues.boundaryNumbers)
            node = .number(JSONNumber(text: text))
            return text
        }
    }

    static let emptyString = MutationOperator("json.string-empty", [.body], requires: .json) { ctx, rng in
            editNode(&ctx, &rng, where: isString) { node, _ in
                node = .string("")
                return "\"\""
            }
        }

    static let hugeString = MutationOperator("json.string-huge", [.body], requires: .json) { ctx, rng in
            let n = ctx.hugeSize(&rng)
            return editNode(&ctx, &rng, where: isString) { node, rng in
                guard case .string(let s) = node else { return nil }
                // Keep a placeholder and pad after it; plain strings are replaced.
                node = .string(Placeholders.contains(s) || rng.chance(0.3) ? s + String.filled("A", n) : String.filled("A", n))
                return "\(n) characters"
            }
        }

    static let unicodeString = MutationOperator("json.string-unicode", [.body], requires: .json) { ctx, rng in
            editNode(&ctx, &rng, where: isString) { node, rng in
                guard case .string(let s) = node else { return nil }
                let u = rng.element(FuzzValues.unicodeStrings)
                node = .string(Placeholders.contains(s) ? (rng.chance(0.5) ? s + u : u + s) : (rng.chance(0.5) ? u : s + u))
                return u.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
            }
        }

    static let controlString = MutationOperator("json.string-control", [.body], requires: .json) { ctx, rng in
            editNode(&ctx, &rng, where: isString) { node, rng in
                guard case .string(let s) = node else { return nil }
                let c = rng.element(FuzzValues.controlStrings)
                node = .string(Placeholders.contains(s) || rng.chance(0.5) ? s + c : c)
                return c.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
            }
        }

    static let deepNesting = MutationOperator("json.deep-nesting", [.body], weight: 0.7, requires: .json) { ctx, rng in
            let asArrays = rng.chance(0.5)
            // Each level costs 2 bytes as arrays (`[]`) and 6 as objects (`{"a":}`); stay under the body limit.
            let perLevel = asArrays ? 2 : 6
            let room = max(0, ctx.maximumBody - ctx.bodyBytesEstimate) / perLevel
            let depth = min(rng.element([33, 65, 129, 513, 1025]), room)
            guard depth > 1 else { return nil }
            return placeBomb(&ctx, &rng, .deep(depth: depth, arrays: asArrays), preferNonRoot: false)
        }

    static let wrongTopLevel = MutationOperator("json.wrong-top-level", [.body], weight: 0.5, requires: .json) { ctx, rng in
            var local = rng
            let result = ctx.withJSON { root -> String? in
                let old = root.kind
                let choices: [JSONValue] = [
                    .array([root]), .string(root.serialized()), .int(1), .null, .bool(true), .object([]), .array([]),
                    .string(""),
                ].filter { $0.kind != old }
                root = local.element(choices)
                return "\(old.rawValue) → \(root.kind.rawValue)"
            }
            rng = local
            return result
        }

    static let truncate = MutationOperator("json.truncate", [.body], requires: .json) { ctx, rng in
            let bytes = ctx.bodyBytes()
            guard bytes.count > 1 else { return nil }
            var cut = Placeholders.safePosition(rng.next(below: bytes.count), ranges: Placeholders.ranges(in: bytes))
            while cut > 0, bytes[cut] & 0xC0 == 0x80 { cut -= 1 }  // stay on a character boundary
            ctx.setBodyBytes(Array(bytes[..<cut]))
            return "at byte \(cut) of \(bytes.count)"
        }

    static let invalidSyntax = MutationOperator("json.invalid-syntax", [.body], requires: .json) { ctx, rng in
            var bytes = ctx.bodyBytes()
            guard !bytes.isEmpty else { return nil }
            let ranges = Placeholders.ranges(in: bytes)
            let detail: String
            switch rng.next(below: 6) {
            case 0:
                let structural = bytes.indices.filter { i in
                    "{}[],:\"".utf8.contains(bytes[i]) && !ranges.contains { $0.contains(i) }
                }
                guard !structural.isEmpty else { return nil }
                let i = rng.element(structural)
                detail = "remove '\(Character(Unicode.Scalar(bytes[i])))' at \(i)"
                bytes.remove(at: i)
            case 1:
                let stray = rng.element([",", "}", "]", "'", ":", "\\", "\"", "{", "["])
                let i = Placeholders.safePosition(rng.next(below: bytes.count + 1), ranges: ranges)
                bytes.insert(contentsOf: stray.utf8, at: i)
                detail = "insert '\(stray)' at \(i)"
            case 2:
                guard let close = bytes.lastIndex(where: { $0 == UInt8(ascii: "}") || $0 == UInt8(ascii: "]") }) else {
                    return nil
                }
                bytes.insert(UInt8(ascii: ","), at: close)
                detail = "trailing comma"
            case 3:
                bytes = bytes.map { $0 == UInt8(ascii: "\"") ? UInt8(ascii: "'") : $0 }
                detail = "single quotes"
            case 4:
                let garbage = rng.element([" x", "/* c */", " // c", ",", "\u{0}", " NaN", "{\"a\":1}"])
                bytes.append(contentsOf: garbage.utf8)
                detail = "trailing \(abbreviate(garbage))"
            default:
                let comment = "/*x*/"
                bytes.insert(contentsOf: comment.utf8, at: Placeholders.safePosition(rng.next(below: bytes.count + 1), ranges: ranges))
                detail = "comment"
            }
            ctx.setBodyBytes(bytes)
            return detail
        }

    static let invalidUTF8 = MutationOperator("json.invalid-utf8", [.body], weight: 0.7, requires: .json) { ctx, rng in
            var bytes = ctx.bodyBytes()
            let ranges = Placeholders.ranges(in: bytes)
            let quotes = bytes.indices.filter { bytes[$0] == UInt8(ascii: "\"") }
            // Right after an opening quote lands inside a string most of the time.
            let at = quotes.isEmpty || rng.chance(0.2)
                ? rng.next(below: bytes.count + 1) : rng.element(quotes) + 1
            let position = Placeholders.safePosition(at, ranges: ranges)
            let sequence = rng.element(FuzzValues.invalidUTF8)
            bytes.insert(contentsOf: sequence, at: position)
            ctx.setBodyBytes(bytes)
            return sequence.map { hex2($0) }.joined(separator: " ") + " at \(position)"
        }

    /// Renames a member at any depth to an odd key, or adds one beside the others.
    static let oddKey = MutationOperator("json.odd-key", [.body], weight: 1.5, requires: .json) { ctx, rng in
            editNode(&ctx, &rng, preferNonRoot: true, where: isObject) { node, rng in
                guard case .object(var members) = node else { return nil }
                let key = rng.element(FuzzValues.oddKeys)
                if members.isEmpty || rng.chance(0.4) {
                    let value: JSONValue = members.isEmpty ? .string("x") : members[rng.next(below: members.count)].value
                    members.append(JSONMember(key, value))
                    node = .object(members)
                    return "add \(abbreviate(key))"
                }
                let i = rng.next(below: members.count)
                let old = members[i].key
                members[i].key = key
                node = .object(members)
                return "\(abbreviate(old)) → \(abbreviate(key))"
            }
        }

    /// Puts `null` into an array (or makes a member an array holding `null`).
    static let nullInArray = MutationOperator("json.null-in-array", [.body], weight: 0.7, requires: .json) { ctx, rng in
            editNode(&ctx, &rng, preferNonRoot: false, where: { _ in true }) { node, rng in
                if case .array(var items) = node {
                    items.insert(.null, at: rng.next(below: items.count + 1))
                    node = .array(items)
                    return "null into array of \(items.count - 1)"
                }
                node = .array([node, .null])
                return "[value, null]"
            }
        }

    /// Escapes that decode to no valid scalar (lone or reversed surrogates, NUL), written into a string.
    static let loneSurrogate = MutationOperator("json.lone-surrogate", [.body], weight: 0.7, requires: .json) { ctx, rng in
            var bytes = ctx.bodyBytes()
            let ranges = Placeholders.ranges(in: bytes)
            // Just after a `":"` value quote, or after any quote: inside a string literal either way.
            let quotes = bytes.indices.filter { i in bytes[i] == UInt8(ascii: "\"") && !ranges.contains { $0.contains(i) } }
            guard !quotes.isEmpty else { return nil }
            let escape = rng.element(["\\ud800", "\\udfff", "\\ud83d", "\\udc00\\ud800", "\\u0000", "\\ud800\\u0041"])
            let at = rng.element(quotes) + 1
            bytes.insert(contentsOf: Array(escape.utf8), at: at)
            ctx.setBodyBytes(bytes)
            return escape + " at \(at)"
        }

    /// An array or object of many members, sized to the body limit.
    static let wideBomb = MutationOperator("json.wide", [.body], weight: 0.5, requires: .json) { ctx, rng in
            let asArray = rng.chance(0.5)
            let perItem = asArray ? 2 : 10
            let room = max(0, ctx.maximumBody - ctx.bodyBytesEstimate) / perItem
            let width = min(rng.element([100, 1_000, 5_000]), room)
            guard width > 1 else { return nil }
            return placeBomb(&ctx, &rng, .wide(width: width, array: asArray), preferNonRoot: true)
        }
}
