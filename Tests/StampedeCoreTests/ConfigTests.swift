import StampedeCore
import Testing

@Suite("Configuration: flags > LOAD_* > defaults")
struct ConfigTests {
    @Test func defaultsAreTheOriginals() throws {
        let c = try LoadConfig.resolve(flags: [:], environment: [:])
        #expect(c.baseURL == "https://localhost:443")
        #expect(c.apiPrefix == "/api/v1")
        #expect(c.verifyTLS == false)
        #expect(c.mode == .both)
        #expect(c.clients == 25)
        #expect(c.concurrency == 10)
        #expect(c.duration == 180)
        #expect(c.autoRegister == true)
        #expect(c.userPrefix == "loaduser")
        #expect(c.userDomain == "example.com")
        #expect(c.userPassword == "testpass123!")
    }

    @Test func flagsBeatEnvironmentWhichBeatsDefaults() throws {
        let env = ["LOAD_CLIENTS": "7", "LOAD_MODE": "user", "LOAD_VERIFY_TLS": "true", "LOAD_DURATION": "2m"]
        let c = try LoadConfig.resolve(flags: [.clients: "3"], environment: env)
        #expect(c.clients == 3)
        #expect(c.mode == .user)
        #expect(c.verifyTLS)
        #expect(c.duration == 120)
    }

    @Test(arguments: [
        ([LoadSetting.clients: "0"], [String: String](), "--clients"),
        ([:], ["LOAD_DURATION": "abc"], "LOAD_DURATION"),
        ([.baseURL: "localhost:8000"], [:], "--base-url"),
        ([:], ["LOAD_MODE": "chaos"], "LOAD_MODE"),
        ([:], ["LOAD_VERIFY_TLS": "maybe"], "LOAD_VERIFY_TLS"),
        ([.concurrency: "-2"], ["LOAD_CONCURRENCY": "5"], "--concurrency"),
    ])
    func badValuesNameTheirSource(flags: [LoadSetting: String], env: [String: String], source: String) {
        #expect {
            _ = try LoadConfig.resolve(flags: flags, environment: env)
        } throws: { error in
            guard let e = error as? ConfigError else { return false }
            return e.source == source && e.description.contains(source) && !e.description.contains("\n")
        }
    }
}
