import Foundation
import StampedeCore
import Testing

/// `stampede mutate` and `stampede corpus` on the shipped demo corpus, as a user runs them.
@Suite struct CorpusToolsEndToEndTests {
    static let demoCorpus = ReplayEndToEndTests.repoRoot.appendingPathComponent("corpora/demo").path

    @Test func mutateIsReproducibleFromItsSeed() async throws {
        let args = ["mutate", "--corpus", Self.demoCorpus, "--count", "50", "--seed", "1234"]
        let first = try await CLIProcess.run(args, timeout: .seconds(20))
        let second = try await CLIProcess.run(args, timeout: .seconds(20))
        let other = try await CLIProcess.run(["mutate", "--corpus", Self.demoCorpus, "--count", "50", "--seed", "1235"], timeout: .seconds(20))
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.split(separator: "\n").count == 50)
        #expect(first.stdout == second.stdout)
        #expect(first.stdout != other.stdout)
    }

    /// #13: `--max-body` bounds the depth and width bombs; a bad size is a usage error.
    @Test func maxBodyBoundsTheBombs() async throws {
        func bombBodies(_ maxBody: String) async throws -> [Int] {
            let result = try await CLIProcess.run(
                ["mutate", "--corpus", Self.demoCorpus, "--count", "3000", "--seed", "5", "--max-body", maxBody], timeout: .seconds(60))
            #expect(result.status == 0, "\(result.stderr)")
            return try result.stdout.split(separator: "\n").compactMap { line -> Int? in
                let mutant = try JSONValue(parsing: String(line))
                let names = (mutant[key: "operations"]?.arrayValue ?? []).compactMap { $0[key: "name"]?.stringValue }
                guard names.contains(where: { $0 == "json.deep-nesting" || $0 == "json.wide" }) else { return nil }
                return mutant[pointer: "/request/body/text"]?.stringValue?.utf8.count ?? 0
            }
        }
        let small = try await bombBodies("1KiB")
        #expect(!small.isEmpty)
        // The bomb itself stays under the limit; a stacked operation may add a little around it.
        #expect(small.allSatisfy { $0 <= 1_024 + 256 }, "\(small.max() ?? 0) bytes")
        let large = try await bombBodies("64KiB")
        #expect(large.contains { $0 > 2_048 }, "\(large.max() ?? 0) bytes at most")
        let bad = try await CLIProcess.run(["mutate", "--corpus", Self.demoCorpus, "--max-body", "lots"], timeout: .seconds(20))
        #expect(bad.status == 2 && bad.stderr.contains("--max-body"), "\(bad.stderr)")
    }

    @Test func mutateCanPrintCurlCommands() async throws {
        let result = try await CLIProcess.run(
            ["mutate", "--corpus", Self.demoCorpus, "--count", "10", "--seed", "7", "--format", "curl", "--base-url", "http://127.0.0.1:8000"],
            timeout: .seconds(20))
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(lines.count >= 10)
        #expect(lines.allSatisfy { $0.hasPrefix("curl ") && $0.contains("http://127.0.0.1:8000/") })
        #expect(result.stdout.split(separator: "\n").allSatisfy { $0.count <= 200 })
        // Step numbers are 1-based where people read them.
        #expect(!result.stdout.contains(" step 0 "))
    }

    @Test func shippedCorpusValidatesAndShowsItsVariables() async throws {
        let validate = try await CLIProcess.run(["corpus", "validate", Self.demoCorpus], timeout: .seconds(20))
        #expect(validate.status == 0, "\(validate.stderr)")
        #expect(validate.stdout.contains("valid"))
        let show = try await CLIProcess.run(["corpus", "show", Self.demoCorpus], timeout: .seconds(20))
        #expect(show.status == 0)
        #expect(show.stdout.contains("{{cookie.csrf_token}}"))
        #expect(show.stdout.contains("(extracted)"))
        #expect(show.stdout.contains("[register]"))
    }
}
