import Testing
import SpecFuzz
import OpenAPIKit

@Suite struct SpecFuzzSkeletonTests {
    @Test func moduleLinks() { #expect(SpecFuzz.documentVersion.rawValue.hasPrefix("3.1")) }
}
