@testable import Mutator
import Synchronization
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
    }

    /// The mutator's own feedback state carries the default bound (the one docs/security.md names).
    @Test func theMutatorsFeedbackIsBounded() {
        let mutator = Mutator(sessions: [])
        #expect(mutator.state.withLock { $0.maximumCoverage } == 65_536)
    }
}
