import ArgumentParser
import Foundation
import StampedeCore
import StampedeHTTP

/// `stampede corpus show|stats|validate PATH`, `corpus minimize DIR`, `corpus merge SRC... --into DIR`.
struct CorpusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Inspect and check corpus files.",
        subcommands: [Show.self, Stats.self, Validate.self, CorpusMinimize.self, CorpusMerge.self]
    )

    /// A corpus file, or a corpus directory (its baseline plus every crash file).
    static func files(for path: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CLIError.usage("\(path): no such corpus file or directory")
        }
        guard isDirectory.boolValue else { return [path] }
        let dir = CorpusDirectory(path)
        let files = (FileManager.default.fileExists(atPath: dir.baselinePath) ? [dir.baselinePath] : []) + dir.crashFiles()
        guard !files.isEmpty else { throw CLIError.usage("\(path): directory holds no baseline.corpus or crashes/*.corpus") }
        return files
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print sessions, steps and inferred variables.")

        @Argument(help: "Corpus file or directory.") var path: String
        @Flag(help: "Print records as JSON lines instead.") var json = false
        @OptionGroup var reading: CorpusReadFlags

        func run() async throws {
            var damage = ProblemTally(listing: false)
            for file in try CorpusCommand.files(for: path) {
                if !json { print("# \(file)") }
                let scan = try reading.reader(file).read { record in
                    if json {
                        let bytes: [UInt8]
                        switch record {
                        case .header(let h): bytes = try CorpusWriter.encode(h)
                        case .session(let s): bytes = try CorpusWriter.encode(s)
                        }
                        print(String(decoding: bytes, as: UTF8.self))
                        return
                    }
                    switch record {
                    case .header(let h):
                        print("corpus v\(h.version) created \(h.created) by \(h.tool)" + (h.baseURL.map { " from \($0)" } ?? ""))
                    case .session(let s):
                        print(CorpusCommand.describe(s))
                    }
                }
                damage.add(file, scan)
            }
            try damage.check()
        }
    }

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Count sessions, steps, endpoints and bytes.")

        /// Distinct endpoints counted one by one; more are summed in one line (memory stays bounded).
        static let endpointLimit = 10_000

        @Argument(help: "Corpus file or directory.") var path: String
        @OptionGroup var reading: CorpusReadFlags

        func run() async throws {
            var damage = ProblemTally(listing: false)
            for file in try CorpusCommand.files(for: path) {
                var steps = 0, crashes = 0, otherEndpointSteps = 0
                var endpoints: [String: Int] = [:]
                let scan = try reading.reader(file).read { record in
                    guard case .session(let s) = record else { return }
                    steps += s.steps.count
                    if s.crash != nil { crashes += 1 }
                    for step in s.steps {
                        let key = step.endpoint ?? EndpointTemplate.key(method: step.request.method, path: step.request.path)
                        if endpoints[key] != nil || endpoints.count < Self.endpointLimit {
                            endpoints[key, default: 0] += 1
                        } else {
                            otherEndpointSteps += 1
                        }
                    }
                }
                print("\(file): \(scan.sessionCount) sessions (\(crashes) crash records), \(steps) steps, \(endpoints.count) endpoints, \(scan.members) gzip members, \(scan.compressedBytes) bytes compressed / \(scan.uncompressedBytes) uncompressed")
                for (endpoint, count) in endpoints.sorted(by: { $0.key < $1.key }) {
                    print(ReportText.abbreviated("  \(endpoint)  ×\(count)", limit: ReportText.maxColumns))
                }
                if otherEndpointSteps > 0 { print("  (\(otherEndpointSteps) steps on endpoints past the first \(Self.endpointLimit))") }
                damage.add(file, scan)
            }
            try damage.check()
        }
    }

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that a corpus reads completely and every variable it uses is defined.",
            discussion: "Exit status 0 when valid; 1 when damaged or inconsistent: one line per problem on stdout, one summary line on stderr."
        )

        @Argument(help: "Corpus file or directory.") var path: String
        @OptionGroup var reading: CorpusReadFlags

        func run() async throws {
            var problems = ProblemTally(listing: true)
            for file in try CorpusCommand.files(for: path) {
                var sessions = 0
                let scan = try reading.reader(file).read { record in
                    guard case .session(let s) = record else { return }
                    sessions += 1
                    if s.steps.isEmpty { problems.add("\(file): session \(s.id) has no steps") }
                    for (step, name) in s.unresolvedVariables() {
                        problems.add("\(file): session \(s.id) step \(step + 1) uses {{\(name)}} which no earlier step defines")
                    }
                }
                if scan.header == nil { problems.add("\(file): no corpus header line (format \(CorpusHeader.formatName))") }
                problems.add(file, scan)
                print("\(file): \(sessions) sessions, \(scan.damageCount == 0 ? "readable" : "DAMAGED")")
            }
            try problems.check()
            print("valid")
        }
    }

    /// A readable multi-line description of a session.
    static func describe(_ s: Session) -> String {
        var lines = ["session \(s.id)" + (s.name.map { " \"\($0)\"" } ?? "") + " weight \(s.weight), \(s.steps.count) steps"]
        if let crash = s.crash {
            lines.append(
                "  crash \(crash.signature): \(crash.failure) (\(crash.failureClass)) on \(crash.endpoint), hits \(crash.hits), "
                    + "minimized \(crash.minimized), from step \(crash.parentStep + 1) of \(crash.parentSession)")
            lines.append("  curl: " + ReportText.abbreviated(crash.curl, limit: 180))
        }
        if !s.variables.isEmpty {
            lines.append("  variables:")
            for v in s.variables {
                lines.append("    \(v.name) (\(v.kind.rawValue))" + (v.origin.map { ": \($0)" } ?? ""))
            }
        }
        let environment = ProcessInfo.processInfo.environment
        for (name, steps) in s.secretReferences() where environment[SecretName.environmentVariable(for: name)] == nil {
            let numbers = steps.map { String($0 + 1) }.joined(separator: ", ")
            lines.append("  missing secret: set \(SecretName.environmentVariable(for: name)) (step\(steps.count == 1 ? "" : "s") \(numbers))")
        }
        for (i, step) in s.steps.enumerated() {
            var line = "  \(i + 1). \(step.request.method) " + ReportText.abbreviated(step.request.pathAndQuery, limit: 150)
            if let e = step.expect { line += " → \(e.statusClass)xx" }
            if let role = step.role { line += " [\(role.rawValue)]" }
            if step.stream != nil { line += " [sse]" }
            if let p = step.poll { line += " [poll \(p.pointer) until \(p.until.joined(separator: "|"))]" }
            lines.append(line)
            for rule in step.extract {
                lines.append("       \(rule.variable) ← \(rule.source.rawValue) \(rule.expression)")
            }
            for header in step.request.headers where header.value.contains("{{") {
                lines.append("       header \(header.name): " + ReportText.abbreviated(header.value, limit: 150))
            }
            if let text = step.request.body?.text {
                lines.append("       body: " + ReportText.abbreviated(text, limit: 160))
            }
        }
        return lines.map { ReportText.abbreviated($0, limit: ReportText.maxColumns) }.joined(separator: "\n")
    }
}
