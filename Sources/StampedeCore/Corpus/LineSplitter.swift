import Foundation

/// A line handed out by ``LineSplitter``: its bytes, or only the size of a line longer than the
/// limit (whose bytes were dropped while they were inflated).
enum SplitLine {
    case line(ArraySlice<UInt8>)
    case oversized(bytes: Int)
}

/// Splits inflated bytes into lines, holding a member's lines until it is verified, in memory
/// bounded by the line limit plus what the caller lets pile up before committing.
///
/// A line longer than `maxLine` is never materialised: once its open part passes the limit its
/// bytes are dropped, the rest of it is skipped up to its newline, and it is handed out in its
/// place as ``SplitLine/oversized(bytes:)``, so a 1 GB line costs no more than a 64 MiB one.
struct LineSplitter {
    /// The longest line kept, in bytes (without its newline).
    let maxLine: Int
    /// Bytes of the member being inflated (not yet verified).
    private var pending: [UInt8] = []
    /// A line that started in an earlier, verified member and has not ended yet.
    private var carry: [UInt8] = []
    /// Where the unterminated line at the end of `pending` starts; nil when it started in `carry`.
    private var openStart: Int?
    /// Oversized lines dropped from `pending`: the position in `pending` right after each one
    /// (where the next line starts) and its length.
    private var dropped: [(at: Int, bytes: Int)] = []
    /// The length so far of an oversized line whose newline has not come yet.
    private var skipping: Int?

    init(maxLine: Int) {
        self.maxLine = maxLine
    }

    var pendingBytes: Int { pending.count }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        var rest = bytes
        if let skipped = skipping {
            guard let nl = rest.firstNewline() else {
                skipping = skipped + rest.count
                return
            }
            dropped.append((at: pending.count, bytes: skipped + nl))
            skipping = nil
            rest = UnsafeBufferPointer(rebasing: rest[(nl + 1)...])
            openStart = pending.count
        }
        let before = pending.count
        pending.append(contentsOf: rest)
        if let nl = rest.lastNewline() { openStart = before + nl + 1 }
        let openLength = openStart.map { pending.count - $0 } ?? carry.count + pending.count
        if openLength > maxLine {
            skipping = openLength
            pending.removeSubrange((openStart ?? 0)...)
            if openStart == nil { carry.removeAll() }
            openStart = pending.count
        }
    }

    /// Drops the member being inflated (it is damaged), and any line it continued.
    mutating func discardPending() {
        pending.removeAll(keepingCapacity: true)
        carry.removeAll()
        dropped.removeAll()
        skipping = nil
        openStart = nil
    }

    /// Hands out every complete line (the member is verified, or too large to hold until it is);
    /// the unterminated rest waits in `carry`.
    mutating func commitCompleteLines(_ handle: (SplitLine) throws -> Void) throws {
        var start = 0
        var marks = dropped[...]
        while let nl = pending.withUnsafeBufferPointer({ UnsafeBufferPointer(rebasing: $0[start...]).firstNewline() }).map({ $0 + start }) {
            while let mark = marks.first, mark.at <= start {
                try handle(.oversized(bytes: mark.bytes))
                marks = marks.dropFirst()
            }
            if start == 0 && !carry.isEmpty {
                carry.append(contentsOf: pending[..<nl])
                try handle(carry.count > maxLine ? .oversized(bytes: carry.count) : .line(carry[...]))
                carry.removeAll(keepingCapacity: true)
            } else {
                // A line that arrived whole in one inflated chunk is checked here (longer ones while they grow).
                try handle(nl - start > maxLine ? .oversized(bytes: nl - start) : .line(pending[start..<nl]))
            }
            start = nl + 1
        }
        for mark in marks { try handle(.oversized(bytes: mark.bytes)) }
        carry.append(contentsOf: pending[start...])
        pending.removeAll(keepingCapacity: true)
        dropped.removeAll()
        openStart = nil
    }

    /// End of input: a final line without a newline still counts if its member was verified.
    mutating func flushTrailing(_ handle: (SplitLine) throws -> Void) throws {
        if let skipped = skipping {
            try handle(.oversized(bytes: skipped))
            skipping = nil
        } else if !carry.isEmpty {
            try handle(.line(carry[...]))
        }
        carry.removeAll()
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Index of the first `\n` (memchr: a bomb is scanned at memory speed, in debug builds too).
    func firstNewline() -> Int? {
        guard let base = baseAddress, let hit = memchr(base, 0x0A, count) else { return nil }
        return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
    }

    /// Index of the last `\n` (memchr from newline to newline: Glibc's memrchr is not exported).
    func lastNewline() -> Int? {
        var last: Int?
        while let next = UnsafeBufferPointer(rebasing: self[((last ?? -1) + 1)...]).firstNewline() {
            last = (last ?? -1) + 1 + next
        }
        return last
    }
}
