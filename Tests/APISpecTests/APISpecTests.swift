import Testing
import APISpec

@Suite struct APISpecSkeletonTests {
    @Test func moduleLinks() { #expect(APISpec.Document.self == APISpec.Document.self) }
}
