/// `crashes/<signature>.sh`: a bash script that reproduces a crash record on its own.
///
/// It logs in as a fresh client — the record's context steps, in order, with a curl cookie jar
/// in a temporary directory and the variables their extract rules bind — and then sends the
/// minimal failing request byte for byte. It exits 0 when the failure reproduces (printing the
/// status), 1 when it does not, 2 when it cannot run. Needs bash, curl and python3 (JSON
/// pointers, regexes and encoding, since jq is often missing).
///
/// - The base URL is `$1`, else `STAMPEDE_BASE_URL`, else the run's.
/// - Secrets come from `STAMPEDE_SECRET_*` (the script stops with the variable's name when one
///   is missing); the user's password from `LOAD_USER_PASSWORD`.
/// - Each run is a new identity: `vu.username` ends in a random suffix.
/// - Bodies over `CurlCommand.inlineBodyLimit` bytes, or holding a NUL byte, are stored as
///   base64 in the script and decoded into a file (`--data-binary @file`): binary-safe, one file.
package enum ReproducerScript {
    /// The script for a crash record (its last step is the failing request).
    package static func render(_ record: Session, settings: ReproducerSettings) -> String {
        var lines = prologue(record, settings: settings)
        let steps = record.steps
        for (i, step) in steps.enumerated() {
            let isLast = i == steps.count - 1
            lines.append("")
            let role = step.role.map { "  [\($0.rawValue)]" } ?? ""
            lines.append("# step \(i + 1) of \(steps.count)\(isLast ? " (the failing request)" : ""): \(step.request.method) \(step.request.path)\(role)")
            lines += prelude(for: step, settings: settings, index: i)
            lines += send(step, settings: settings, index: i, isLast: isLast)
            if !isLast { lines += extracts(step) }
        }
        lines.append("")
        lines += verdict(record.crash)
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Prologue

    static func prologue(_ record: Session, settings: ReproducerSettings) -> [String] {
        let crash = record.crash
        let base = settings.baseURL.hasSuffix("/") ? String(settings.baseURL.dropLast()) : settings.baseURL
        var lines = [
            "#!/usr/bin/env bash",
            "# Stampede reproducer for crash \(crash?.signature ?? record.id): \(crash?.failureClass ?? "failure") \(crash?.failure ?? "")"
                + " at \(crash?.endpoint ?? "")",
            "# Logs in as a fresh client (\(record.steps.count - 1) context step(s)), then sends the minimal request byte for byte.",
            "# Usage: bash \(crash?.signature ?? "crash").sh [BASE_URL]   (or STAMPEDE_BASE_URL; default \(base))",
            "# Exit status: 0 when the failure reproduces, 1 when it does not, 2 when the script cannot run.",
            "set -uo pipefail",
            "command -v curl >/dev/null || { echo 'reproducer: curl is needed' >&2; exit 2; }",
            "command -v python3 >/dev/null || { echo 'reproducer: python3 is needed (JSON pointers, encoding)' >&2; exit 2; }",
            "BASE_URL=\"${1:-${STAMPEDE_BASE_URL:-\(ShellWord.quote(Array(base.utf8)).dropFirst().dropLast())}}\"",
            "BASE_URL=\"${BASE_URL%/}\"",
        ]
        for name in secrets(in: record) {
            let variable = SecretName.environmentVariable(for: name)
            lines.append("\(variable)=\"${\(variable):?set \(variable) (the secret \(SecretName.variablePrefix)\(name))}\"")
        }
        lines += [
            "_tmp=\"$(mktemp -d)\" || exit 2",
            "trap 'rm -rf \"$_tmp\"' EXIT",
            "_jar=\"$_tmp/cookies\"",
            ": > \"$_jar\"",
        ]
        lines += clientBuiltins(settings).map { ShellTemplate.variable(for: $0.name) + "=\"" + $0.value + "\"" }
        lines += [
            "_py=" + ShellWord.quote(Array(python(judgingBodies: needsSchemaHelper(crash)).utf8)),
            "enc() { python3 -c \"$_py\" enc \"$1\"; }",
            "jstr() { python3 -c \"$_py\" jstr \"$1\"; }",
            "cookie() { awk -v n=\"$1\" 'BEGIN { FS = \"\\t\" } NF >= 7 && $6 == n { v = $7 } END { printf \"%s\", v }' \"$_jar\"; }",
            "send() {",
            "  _status=\"$(curl -sS -o \"$_tmp/body\" -D \"$_tmp/head\" -w '%{http_code}' -b \"$_jar\" -c \"$_jar\" \"$@\")\"",
            "  _rc=$?",
            "}",
        ]
        return lines
    }

    /// The script's Python: ``helper``, and ``schemaHelper`` when it judges a body.
    package static func python(judgingBodies: Bool) -> String {
        judgingBodies ? helper + "\n" + schemaHelper : helper
    }

    /// Whether the script judges a body against a schema (a `body-schema` finding's verdict).
    static func needsSchemaHelper(_ crash: CrashInfo?) -> Bool {
        crash?.failureClass == "conformance" && crash?.failure.hasPrefix(bodySchemaPrefix) == true
    }

    /// The built-ins fixed per client (``BuiltinVariables/clientNames``) and `run.id`, in the
    /// order they are defined: each is the shell variable `ShellTemplate.variable(for: name)`
    /// set to `value` (double-quoted). The one list of them in the script.
    static func clientBuiltins(_ settings: ReproducerSettings) -> [(name: String, value: String)] {
        func ref(_ name: String) -> String { "$" + ShellTemplate.variable(for: name) }
        let password = settings.defaultPassword.map { "${LOAD_USER_PASSWORD:-" + $0.replacingAll("'", with: "") + "}" }
            ?? "${LOAD_USER_PASSWORD:?set LOAD_USER_PASSWORD (the run used its own password)}"
        return [
            ("vu.tag", "$(od -An -N4 -tx1 /dev/urandom | tr -d ' \\n')"),
            ("run.id", ref("vu.tag")),
            ("vu.index", "0"),
            ("vu.username", "${LOAD_USER_PREFIX:-\(shellDefault(settings.userPrefix))}_0_" + ref("vu.tag")),
            ("vu.email", ref("vu.username") + "@${LOAD_USER_DOMAIN:-\(shellDefault(settings.userDomain))}"),
            ("vu.password", password),
            ("vu.basic", "$(printf '%s:%s' \"\(ref("vu.username"))\" \"\(ref("vu.password"))\" | base64 | tr -d '\\n')"),
        ]
    }

    /// A default inside `${X:-…}` in double quotes: only characters that need no escaping there.
    static func shellDefault(_ value: String) -> String {
        String(value.filter { $0.isASCII && ($0.isLetter || $0.isNumber || "._-@+".contains($0)) })
    }

    /// NAMEs of the secrets the record's steps use.
    static func secrets(in record: Session) -> [String] {
        var names: [String] = []
        for step in record.steps {
            for variable in step.referencedVariables() {
                if let name = SecretName.name(ofVariable: variable), !names.contains(name) { names.append(name) }
            }
        }
        return names
    }

    /// Python run by the script's helpers: `enc`, `jstr`, `json POINTER`, `header NAME [PATTERN]`,
    /// `regex PATTERN`, `match PATTERN VALUE`, `uuid`. No single quote (the script single-quotes it).
    static let helper = """
        import sys, json, re, urllib.parse, uuid
        a = sys.argv[1:]
        def out(v):
            if v is None: sys.exit(1)
            sys.stdout.write(v)
        def match(p, t):
            m = re.search(p, t)
            if not m: return None
            return m.group(1) if m.re.groups else m.group(0)
        def pointer(p, v):
            for t in p.split("/")[1:] if p else []:
                t = t.replace("~1", "/").replace("~0", "~")
                if isinstance(v, dict) and t in v: v = v[t]
                elif isinstance(v, list) and t.isdigit() and int(t) < len(v): v = v[int(t)]
                else: return None
            if isinstance(v, bool): return "true" if v else "false"
            if v is None or isinstance(v, (dict, list)): return None
            return str(v)
        def header(name, text):
            v = None
            for line in text.split("\\r\\n\\r\\n")[-2 if text.endswith("\\r\\n\\r\\n") else -1].split("\\r\\n"):
                k, sep, rest = line.partition(":")
                if sep and v is None and k.strip().lower() == name.lower(): v = rest.strip()
            return v
        k = a[0]
        if k == "enc": out(urllib.parse.quote(a[1], safe="-._~"))
        elif k == "jstr": out(json.dumps(a[1], ensure_ascii=False)[1:-1])
        elif k == "uuid": out(str(uuid.uuid4()))
        elif k == "match": out(match(a[1], a[2]))
        elif k == "regex": out(match(a[1], sys.stdin.buffer.read().decode("utf-8", "replace")))
        elif k == "header":
            v = header(a[1], sys.stdin.buffer.read().decode("latin-1"))
            out(match(a[2], v) if v is not None and len(a) > 2 and a[2] else v)
        elif k == "json":
            try: doc = json.loads(sys.stdin.buffer.read())
            except ValueError: sys.exit(1)
            out(pointer(a[1], doc))
        """

    /// Python appended to ``helper`` in the script of a `body-schema` finding: `isjson` (exit 0 when
    /// the body parses) and `schema POINTER SCHEMA` (exit 0 when some value at the pointer, `*` for any
    /// index, breaks the one-keyword schema of a ``BodyCheck``), with the validator's rules for each
    /// keyword: integers are numbers, `minLength` counts code points, the same formats are checked.
    static let schemaHelper = """
        def kind(v):
            if v is None: return "null"
            if isinstance(v, bool): return "boolean"
            if isinstance(v, int): return "integer"
            if isinstance(v, float): return "integer" if v.is_integer() else "number"
            if isinstance(v, str): return "string"
            return "array" if isinstance(v, list) else "object"
        def same(x, y):
            kx, ky = kind(x), kind(y)
            if kx in NUM and ky in NUM: return x == y
            if kx != ky: return False
            if kx == "array": return len(x) == len(y) and all(same(p, q) for p, q in zip(x, y))
            if kx == "object": return x.keys() == y.keys() and all(same(x[m], y[m]) for m in x)
            return x == y
        def values(p, v):
            vs = [v]
            for t in p.split("/")[1:] if p else []:
                t = t.replace("~1", "/").replace("~0", "~")
                n = []
                for x in vs:
                    if isinstance(x, dict) and t in x: n.append(x[t])
                    elif t == "*" and isinstance(x, list): n.extend(x)
                    elif t == "*" and isinstance(x, dict): n.extend(w for m, w in x.items() if m.isdigit())
                vs = n
            return vs
        def fmt(f, v):
            if f in ("int32", "int64"):
                b = 2 ** (31 if f == "int32" else 63)
                return kind(v) in NUM and not -b <= v < b
            if not isinstance(v, str): return False
            d, t = r"(\\d{4})-(\\d\\d)-(\\d\\d)", r"(\\d\\d):(\\d\\d):(\\d\\d)(\\.\\d+)?([Zz]|[+-](\\d\\d):(\\d\\d))"
            def day(m):
                y, mo, dd = int(m.group(1)), int(m.group(2)), int(m.group(3))
                leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
                return 1 <= mo <= 12 and 1 <= dd <= [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]
            def tod(m):
                return int(m.group(1)) < 24 and int(m.group(2)) < 60 and int(m.group(3)) <= 60 and int(m.group(6) or 0) < 24 and int(m.group(7) or 0) < 60
            if f == "date":
                m = re.fullmatch(d, v)
                return not (m and day(m))
            if f == "time":
                m = re.fullmatch(t, v)
                return not (m and tod(m))
            if f == "date-time":
                m = re.fullmatch(d + "[Tt]" + t, v)
                return not (m and day(m) and int(m.group(4)) < 24 and int(m.group(5)) < 60 and int(m.group(6)) <= 60
                            and int(m.group(9) or 0) < 24 and int(m.group(10) or 0) < 60)
            if f == "uuid": return not re.fullmatch(r"[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}", v)
            if f == "email": return not re.fullmatch(r"[^@\\s\\"(),:;<>\\[\\]\\\\]+@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*", v)
            if f == "ipv4":
                o = v.split(".")
                return not (len(o) == 4 and all(x.isdigit() and x.isascii() and len(x) <= 3 and (len(x) == 1 or x[0] != "0") and int(x) <= 255 for x in o))
            return False
        def breaks(v, s):
            k = kind(v)
            if "x-kind" in s: return k == s["x-kind"] or (k in NUM and s["x-kind"] == "number")
            if "type" in s: return k not in s["type"] and not (k == "integer" and "number" in s["type"])
            if "enum" in s: return not any(same(v, e) for e in s["enum"])
            if "format" in s: return fmt(s["format"], v)
            if k == "object":
                if "required" in s: return any(m not in v for m in s["required"])
                if "additionalProperties" in s:
                    return any(m not in s["properties"] and not any(re.search(p, m) for p in s["patternProperties"]) for m in v)
                if "minProperties" in s: return len(v) < s["minProperties"]
                if "maxProperties" in s: return len(v) > s["maxProperties"]
            if k == "array":
                if "minItems" in s: return len(v) < s["minItems"]
                if "maxItems" in s: return len(v) > s["maxItems"]
                if "uniqueItems" in s: return any(same(v[i], v[j]) for i in range(len(v)) for j in range(i))
            if k in NUM:
                if "minimum" in s: return v < s["minimum"]
                if "exclusiveMinimum" in s: return v <= s["exclusiveMinimum"]
                if "maximum" in s: return v > s["maximum"]
                if "exclusiveMaximum" in s: return v >= s["exclusiveMaximum"]
                if "multipleOf" in s:
                    q = v / s["multipleOf"]
                    return abs(q - round(q)) > 1e-9 * max(1, abs(q))
            if k == "string":
                if "minLength" in s: return len(v) < s["minLength"]
                if "maxLength" in s: return len(v) > s["maxLength"]
                if "pattern" in s: return not re.search(s["pattern"], v)
            return False
        NUM = ("integer", "number")
        if k == "isjson":
            try: json.loads(sys.stdin.buffer.read())
            except ValueError: sys.exit(1)
        if k == "schema":
            try: doc = json.loads(sys.stdin.buffer.read())
            except ValueError: sys.exit(1)
            sys.exit(0 if any(breaks(v, json.loads(a[2])) for v in values(a[1], doc)) else 1)
        """
}
