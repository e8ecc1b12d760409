import StampedeCore

/// Field-aware operators for `application/x-www-form-urlencoded` bodies.
///
/// Fields are split on `&` and the first `=` without decoding, so `{{placeholders}}` in values
/// stay as they are; injected values are percent-encoded half of the time and raw otherwise.
enum FormOperators {
    struct Field {
        var name: String
        var value: String?
    }

    static func fields(_ text: String) -> [Field] {
        guard !text.isEmpty else { return [] }
        return text.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: false).map { pair in
            if let eq = pair.firstIndex(of: UInt8(ascii: "=")) {
                return Field(name: String(Substring(pair[..<eq])), value: String(Substring(pair[pair.index(after: eq)...])))
            }
            return Field(name: String(Substring(pair)), value: nil)
        }
    }

    static func join(_ fields: [Field]) -> String {
        fields.map { f in f.value.map { f.name + "=" + $0 } ?? f.name }.joined(separator: "&")
    }

    /// Edits the field list; nil when the body is not a form or `edit` declined.
    static func editFields(
        _ ctx: inout MutationContext, _ rng: inout SeededGenerator, needsFields: Bool = true,
        _ edit: (inout [Field], inout SeededGenerator) -> String?
    ) -> String? {
        guard ctx.bodyKind == .form, let body = ctx.request.body, let text = body.text else { return nil }
        var list = fields(text)
        if needsFields && list.isEmpty { return nil }
        guard let detail = edit(&list, &rng) else { return nil }
        ctx.setBody(BodyTemplate(text: join(list), contentType: body.contentType))
        return detail
    }

    static func inject(_ value: String, _ rng: inout SeededGenerator) -> String {
        rng.chance(0.5) ? PercentEncoding.encode(value) : value
    }

    static func changeValue(_ ctx: inout MutationContext, _ rng: inout SeededGenerator, _ make: @escaping (inout SeededGenerator) -> String?) -> String? {
        editFields(&ctx, &rng) { list, rng in
            let i = rng.next(below: list.count)
            list[i].value = make(&rng)
            return "\(list[i].name)=\(list[i].value.map(abbreviate) ?? "(bare)")"
        }
    }

    static let all: [MutationOperator] = [
        MutationOperator("form.drop-field", [.body], requires: .form) { ctx, rng in
            editFields(&ctx, &rng) { list, rng in list.remove(at: rng.next(below: list.count)).name }
        },
        MutationOperator("form.duplicate-field", [.body], weight: 0.7, requires: .form) { ctx, rng in
            editFields(&ctx, &rng) { list, rng in
                var copy = list[rng.next(below: list.count)]
                if rng.chance(0.5) { copy.value = inject(rng.element(FuzzValues.specialStrings), &rng) }
                list.insert(copy, at: rng.next(below: list.count + 1))
                return copy.name
            }
        },
        MutationOperator("form.add-field", [.body], weight: 0.7, requires: .form) { ctx, rng in
            editFields(&ctx, &rng, needsFields: false) { list, rng in
                let name = rng.element(FuzzValues.nonEmptyUnknownKeys)
                list.append(Field(name: PercentEncoding.encode(name), value: inject(rng.element(FuzzValues.specialStrings), &rng)))
                return name
            }
        },
        MutationOperator("form.type-confuse", [.body], requires: .form) { ctx, rng in
            if rng.chance(0.2) {
                return editFields(&ctx, &rng) { list, rng in
                    let i = rng.next(below: list.count)
                    list[i].name += "[]"
                    return "\(list[i].name) (array name)"
                }
            }
            return changeValue(&ctx, &rng) { rng in
                rng.element([nil, "", "true", "null", "%5B%5D", "%7B%7D", "1.5", "-1", "0"])
            }
        },
        MutationOperator("form.overlong", [.body], weight: 0.7, requires: .form) { ctx, rng in
            let n = ctx.hugeSize(&rng)
            return changeValue(&ctx, &rng) { _ in String.filled("A", n) }
        },
        MutationOperator("form.special-chars", [.body], requires: .form) { ctx, rng in
            changeValue(&ctx, &rng) { rng in
                inject(rng.element(FuzzValues.oddStrings), &rng)
            }
        },
        MutationOperator("form.empty-value", [.body], weight: 0.7, requires: .form) { ctx, rng in
            changeValue(&ctx, &rng) { _ in "" }
        },
    ]
}
