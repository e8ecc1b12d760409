import Mutator
import StampedeCore

/// What triage needs to send a finding's input again: its parent step, how the mutant was made,
/// and the request as a template (variables not yet rendered, so any fresh client can send it).
struct TriageSeed: Sendable {
    /// Index of the parent session in the corpus (`ReplayPlan.corpusSessions`).
    var sessionIndex: Int
    var stepIndex: Int
    var mutantSeed: UInt64?
    /// The mutant's operations (empty for a user step sent as recorded).
    var operations: [MutationOperation]
    var request: MutatedRequest

    init(sessionIndex: Int, stepIndex: Int, mutantSeed: UInt64?, operations: [MutationOperation], request: MutatedRequest) {
        self.sessionIndex = sessionIndex
        self.stepIndex = stepIndex
        self.mutantSeed = mutantSeed
        self.operations = operations
        self.request = request
    }

    /// The seed of a recorded step a user client sent as it is.
    init?(planned: ReplayPlan.PlannedStep, plan: ReplayPlan) {
        guard let s = plan.corpusSessions.firstIndex(where: { $0.id == planned.sessionID }) else { return nil }
        self.init(
            sessionIndex: s, stepIndex: planned.index, mutantSeed: nil, operations: [],
            request: MutatedRequest(request: planned.step.request))
    }
}
