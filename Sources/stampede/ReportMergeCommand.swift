import ArgumentParser
import Foundation
import Replayer

extension ReportCommand {
    /// `stampede report merge`: one exact report from the reports of a run's shards.
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge the reports of one run's shards into one report (exact percentiles from the summed histograms).",
            discussion: """
                Give report files, or a directory holding them (its *.json files). Counts, statuses, failure classes and
                bytes are summed; percentiles come from the merged HDR histograms; timelines are aligned by wall-clock
                second; findings are merged by signature. Reports of different runs (run id, seed, corpus) or the same
                shard twice are refused (exit 2).
                """)

        @Argument(help: "Shard report files, or a directory of them.") var reports: [String]
        @Option(name: .shortAndLong, help: "The merged report file.") var output: String

        func run() throws {
            let paths = try Self.expand(reports)
            let loaded = try paths.map { try ReportCommand.load($0) }
            let merged: ReplayReport
            do {
                merged = try ReportMerger.merge(loaded, names: paths)
            } catch {
                throw CLIError.usage(error.description)
            }
            let data: Data
            do {
                data = try ReportWriter.encode(merged)
            } catch {
                throw CLIError.failure("cannot encode the merged report: \(error)")
            }
            try ReportOutputFlags.write(String(decoding: data, as: UTF8.self) + "\n", to: output, what: "merged report")
            let shards = (merged.mergedShards ?? []).map { "\($0.index)/\($0.count)" }.joined(separator: ", ")
            print("merged \(paths.count) report(s) of run \(merged.runID) (shards \(shards)): \(merged.totalRequests) requests")
        }

        /// Files as given; a directory becomes its `*.json` files, sorted.
        static func expand(_ arguments: [String]) throws -> [String] {
            var paths: [String] = []
            for argument in arguments {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
                    throw CLIError.usage("\(argument): no such report file or directory")
                }
                guard isDirectory.boolValue else { paths.append(argument); continue }
                let names = (try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []
                paths += names.filter { $0.hasSuffix(".json") }.sorted().map { (argument as NSString).appendingPathComponent($0) }
            }
            guard !paths.isEmpty else { throw CLIError.usage("report merge: no report files given") }
            return paths
        }
    }
}
