import Foundation
import StampedeTestSupport
import Testing

/// `deploy/check.sh`: the Kubernetes manifests through `kubectl create --dry-run=client` (no cluster: a seeded
/// discovery cache), the offline field check, and hadolint on the Dockerfile, each when its tool is installed.
@Suite struct DeployFilesTests {
    static func installed(_ tool: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
    }

    @Test func manifestsAndDockerfilePassTheirChecks() throws {
        let (status, output) = try BashScript.run([StampedeBinary.repositoryRoot.appendingPathComponent("deploy/check.sh").path])
        #expect(status == 0, "\(output)")
        #expect(output.contains("4 documents, 0 problem(s)"), "\(output)")
        if Self.installed("kubectl") { #expect(output.contains("kubectl create --dry-run=client: 4 objects"), "\(output)") }
        if Self.installed("hadolint") { #expect(output.contains("hadolint deploy/Dockerfile: clean"), "\(output)") }
    }
}
