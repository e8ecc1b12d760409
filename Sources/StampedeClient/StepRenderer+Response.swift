public import StampedeCore
public import StampedeEngine

extension StepRenderer {
    /// Stores the response's cookies in the client's jar and binds the step's extract rules
    /// (`cookie` rules read the jar, after the response's `Set-Cookie` headers went in).
    ///
    /// - Returns: the variables of rules that found nothing (earlier values are kept).
    @discardableResult
    public static func absorb(_ response: EngineResponse, extract rules: [ExtractRule], requestURL: String, into state: inout ClientState) -> [String] {
        state.jar.store(response: response, requestURL: requestURL)
        guard !rules.isEmpty, response.failure == nil else { return [] }
        let jar = state.jar
        var view = ResponseView(body: response.body, header: { response.header($0) }, cookie: { jar.value(named: $0) })
        var missing: [String] = []
        for rule in rules {
            if let value = view.value(of: rule) {
                state.variables[rule.variable] = value
            } else {
                missing.append(rule.variable)
            }
        }
        return missing
    }

    /// Whether a polled step must be sent again: a 2xx answer whose watched field is not yet terminal.
    public static func pollContinues(_ poll: PollOptions, response: EngineResponse) -> Bool {
        guard response.failure == nil, response.status / 100 == 2 else { return false }
        var view = ResponseView(body: response.body, header: { _ in nil }, cookie: { _ in nil })
        return !view.finishes(poll)
    }

    /// Whether a response says the client's session is gone, so it logs in again: 401 or 403 to a
    /// request whose recorded answer was 2xx or 3xx (nil: a mutant, judged by its parent's answer
    /// if known). A step recorded as 4xx was meant to be refused.
    public static func sessionLost(status: Int, expectClass: Int?) -> Bool {
        guard status == 401 || status == 403 else { return false }
        guard let expectClass else { return true }
        return expectClass == 2 || expectClass == 3
    }
}
