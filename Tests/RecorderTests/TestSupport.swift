import Foundation
import Recorder
import StampedeClient
import StampedeCore
import StampedeEngine

/// A fresh temporary file path (the directory is created; the file is not).
func temporaryPath(_ name: String) -> String {
    let directory = NSTemporaryDirectory() + "stampede-recorder-tests-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    return directory + "/" + name
}

/// The decompressed bytes of a corpus file, as text.
func corpusText(_ path: String) throws -> String {
    let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
    return String(decoding: try Gzip.decompress(bytes), as: UTF8.self)
}

/// Steps of replayed sessions that did not replay as recorded, one line each.
func failures(_ outcomes: [SessionOutcome]) -> [String] {
    outcomes.flatMap { outcome in
        outcome.steps.filter { !$0.matched }.map { "\(outcome.sessionID) step \($0.index + 1) \($0.endpoint): \($0.explanation)" }
    }
}

