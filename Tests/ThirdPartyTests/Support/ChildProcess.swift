import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A child process started in its own process group, its output going to files; stopping it
/// signals the whole group, so a server's workers go too.
final class ChildProcess: Sendable {
    enum Failure: Error, CustomStringConvertible {
        case spawn(String, Int32)

        var description: String {
            switch self {
            case .spawn(let executable, let code): "cannot start \(executable): \(String(cString: strerror(code)))"
            }
        }
    }

    let pid: pid_t
    let executable: String
    let stdoutPath: String
    let stderrPath: String
    private let status = Mutex<Int32?>(nil)

    /// Starts `executable` with exactly `environment`; standard output and error go to the two files.
    init(_ executable: String, _ arguments: [String], environment: [String: String], stdout: String, stderr: String) throws {
        self.executable = executable
        self.stdoutPath = stdout
        self.stderrPath = stderr
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // Own process group; default signal handling and an empty mask (the test runner's must not leak in).
        var everySignal = sigset_t()
        sigfillset(&everySignal)
        var noSignal = sigset_t()
        sigemptyset(&noSignal)
        posix_spawnattr_setsigdefault(&attributes, &everySignal)
        posix_spawnattr_setsigmask(&attributes, &noSignal)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let code = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard code == 0 else { throw Failure.spawn(executable, code) }
        pid = child
    }

    /// The exit status once the process has ended (128 + N for signal N), nil while it runs.
    var exitStatus: Int32? {
        status.withLock { known in
            if let known { return known }
            var raw: Int32 = 0
            let reaped = waitpid(pid, &raw, WNOHANG)
            if reaped == pid {
                known = (raw & 0x7F) == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
            } else if reaped < 0 && errno == ECHILD {
                known = -1
            }
            return known
        }
    }

    var isRunning: Bool { exitStatus == nil }

    /// Polls until the process has ended or `timeout` passed; returns the exit status, nil on timeout.
    func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let code = exitStatus { return code }
            try? await Task.sleep(for: .milliseconds(25))
        }
        return exitStatus
    }

    /// Sends `signal` to the process alone (SIGINT: Ctrl-C).
    func send(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Stops the whole process group: SIGTERM, then SIGKILL after `grace`; safe to call twice.
    /// Synchronous so a `defer` can call it when a test fails.
    func stop(grace: Duration = .seconds(10)) {
        kill(-pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while isRunning && ContinuousClock.now < deadline { usleep(20_000) }
        kill(-pid, SIGKILL)
        while isRunning { usleep(5_000) }
    }

    /// Standard output so far.
    var output: String { Self.read(stdoutPath) }
    /// Standard error so far.
    var errors: String { Self.read(stderrPath) }

    /// The last `lines` lines of both outputs, for failure messages.
    func tail(_ lines: Int = 30) -> String {
        let text = output + (errors.isEmpty ? "" : "\n[stderr]\n" + errors)
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    static func read(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }
}
