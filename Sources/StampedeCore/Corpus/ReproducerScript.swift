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
            "_py=" + ShellWord.quote(Array(helper.utf8)),
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
}
