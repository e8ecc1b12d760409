/// How to run the demo target.
public struct DemoServerOptions: Sendable {
    /// Address to bind; loopback by default.
    public var host: String = "127.0.0.1"
    /// Port to bind; 0 picks a free ephemeral port (read it back from ``DemoServer/port``).
    public var port: Int = 0
    /// Whether the planted defects (``PlantedDefects/all``) are active.
    public var defects: Bool = true
    /// Whether the planted leniency C3 is active too (with `defects` on): a script update accepts a
    /// `description` its schema forbids. Off by default, so monkey runs that count D1–D12 meet the same target.
    public var lenient: Bool = false
    /// Log one line per request at `info` level.
    public var verbose: Bool = false
    /// A periodic stall (`DemoStall`), for showing what each load model reports; none by default.
    public var stall: DemoStall? = nil

    /// Creates options; the defaults give a loopback server on an ephemeral port with defects on.
    public init(
        host: String = "127.0.0.1", port: Int = 0, defects: Bool = true, lenient: Bool = false, verbose: Bool = false, stall: DemoStall? = nil
    ) {
        self.host = host
        self.port = port
        self.defects = defects
        self.lenient = lenient
        self.verbose = verbose
        self.stall = stall
    }
}
