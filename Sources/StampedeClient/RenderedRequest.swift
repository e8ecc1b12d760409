public import StampedeCore
public import StampedeEngine

/// A step's request rendered for one client.
public struct RenderedRequest: Sendable {
    /// The request as it goes on the wire, secret values included: never print or store it; use
    /// `redactedRequest`.
    public var request: EngineRequest
    /// The rendered template: every variable substituted except `{{secret.NAME}}`, which stays a
    /// placeholder, and unresolved names, which stay `{{name}}`. Safe to store and print.
    public var template: RequestTemplate
    /// Variables that could not be resolved, in order of appearance (without duplicates). When
    /// not empty the request must not be sent: the step fails with `FailureClass.unresolved`.
    public var unresolved: [String]
    /// The secrets used to render, for `redactedRequest`.
    public var secrets: Secrets

    /// `request` with each secret's value shown as `$STAMPEDE_SECRET_NAME`.
    public var redactedRequest: EngineRequest { secrets.redact(request) }

    /// Whether the request may be sent (every variable resolved).
    public var isSendable: Bool { unresolved.isEmpty }
}
