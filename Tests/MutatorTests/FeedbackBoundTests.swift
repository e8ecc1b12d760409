@testable import Mutator
import Testing

/// The feedback's memory of response shapes is bounded: a target with no end of shapes (errors that
/// echo their input) must not make a long run's memory grow with every one.
@Suite struct FeedbackBoundTests {
    @Test func shapesPastTheBoundAreNotRememberedNorRewarded() {
        var state = FeedbackState(parentCount: 1, operatorWeights: [1, 1], maximumCoverage: 100)
        for shape in 0..<250 {
            state.record(
                outcome: MutationOutcome(endpoint: "GET /x", status: 400, shape: UInt64(shape)),
                parent: 0, operators: [0], extra: [], adaptive: true, baseWeights: [1, 1])
        }
        #expect(state.seen.count == 100)
        #expect(state.operatorUses[0] == 250)
        #expect(state.operatorRewards[0] == 100)
        #expect(state.parentRewards[0] == 100)
        #expect(FeedbackState.defaultMaximumCoverage == 65_536)
    }
}
