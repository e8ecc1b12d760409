import Foundation
import Hummingbird
import NIOCore

/// The catalogue of planted defects, and the only place that triggers them.
///
/// Handlers call the `Switch` checks at the point where the "bug" lives; with defects off every
/// check is a no-op and the request falls through to ordinary validation (a 4xx).
public enum PlantedDefects {
    /// How long the hang defect stalls before answering (unless the server stops first).
    public static let hangDuration: Duration = .seconds(15)

    /// Non-string `theme` values reach a string-only code path.
    public static let themeTypeConfusion = PlantedDefect(
        id: "D1", summary: "Theme update trusts the JSON type of `theme` and crashes on non-strings",
        kind: .serverError, endpoint: "PUT /api/v1/user/settings/theme",
        trigger: "logged-in PUT with CSRF whose JSON `theme` is a number, boolean, array or object (null stays 422)"
    )
    /// Out-of-range `limit` values reach an unchecked buffer allocation.
    public static let notificationsLimitRange = PlantedDefect(
        id: "D2", summary: "Notification listing validates `limit` only after sizing its page buffer",
        kind: .serverError, endpoint: "GET /api/v1/notifications",
        trigger: "logged-in GET whose `limit` query parameter is an integer below 0 or above 1000"
    )
    /// A half-wired PATCH route.
    public static let scriptPatchMethod = PlantedDefect(
        id: "D3", summary: "PATCH on a saved script hits a route stub that was never implemented",
        kind: .serverError, endpoint: "PATCH /api/v1/scripts/{id}",
        trigger: "logged-in PATCH with CSRF on /api/v1/scripts/{id} (any id, any body)"
    )
    /// Over-long ids overflow a fixed-size id column.
    public static let scriptLongID = PlantedDefect(
        id: "D4", summary: "Saved-script lookups copy the path id into a 64-character column without a length check",
        kind: .serverError, endpoint: "GET /api/v1/scripts/{id}",
        trigger: "logged-in GET (or PUT/DELETE with CSRF) on /api/v1/scripts/{id} with an id longer than 64 characters"
    )
    /// Non-ASCII in the version string breaks the version parser.
    public static let langVersionUnicode = PlantedDefect(
        id: "D5", summary: "Execute parses `lang_version` byte-wise and crashes on non-ASCII characters",
        kind: .serverError, endpoint: "POST /api/v1/execute",
        trigger: "logged-in POST with CSRF whose JSON `lang_version` string contains a non-ASCII character"
    )
    /// A write without a content type kills the worker.
    public static let scriptCreateWithoutContentType = PlantedDefect(
        id: "D6", summary: "Creating a script without a Content-Type header crashes the connection worker",
        kind: .droppedConnection, endpoint: "POST /api/v1/scripts",
        trigger: "logged-in POST with CSRF and no Content-Type header (body irrelevant): the socket closes with no response"
    )
    /// `limit=0` never advances the pagination loop.
    public static let eventsLimitZero = PlantedDefect(
        id: "D7", summary: "Event history pagination loops forever when `limit` is 0",
        kind: .hang, endpoint: "GET /api/v1/executions/{id}/events",
        trigger: "logged-in GET for one of the user's executions with query `limit=0`: no response for 15 s"
    )

    /// A `*` with anything after it reaches the entity-tag list parser, which only knows a bare `*`.
    public static let conditionalWildcard = PlantedDefect(
        id: "D8", summary: "Settings' conditional-header parser crashes on a `*` followed by more characters",
        kind: .serverError, endpoint: "GET /api/v1/user/settings",
        trigger: "logged-in GET whose If-Match or If-None-Match value starts with `*` and is longer (`*x`, `*2`)"
    )
    /// DELETE parses a body by its declared type.
    public static let deleteContentType = PlantedDefect(
        id: "D9", summary: "Script deletion parses its (absent) body by the declared Content-Type and crashes on non-JSON types",
        kind: .serverError, endpoint: "DELETE /api/v1/scripts/{id}",
        trigger: "logged-in DELETE with CSRF whose Content-Type has a media type other than application/json (`text/plain`, `m`)"
    )
    /// Label maps are copied into a plain dictionary object keyed by prototype names.
    public static let webhookOddKey = PlantedDefect(
        id: "D10", summary: "The Grafana webhook crashes on a prototype or operator key inside a label map",
        kind: .serverError, endpoint: "POST /api/v1/alerts/grafana",
        trigger: "a labels/annotations/groupLabels/commonLabels/commonAnnotations map with the key `__proto__`, "
            + "`constructor`, `prototype` or `$where`"
    )
    /// The update merger recurses without a limit.
    public static let scriptUpdateDepth = PlantedDefect(
        id: "D11", summary: "Script update merges the JSON body recursively and overflows past 32 levels of nesting",
        kind: .serverError, endpoint: "PUT /api/v1/scripts/{id}",
        trigger: "logged-in PUT with CSRF whose JSON body nests arrays or objects more than 32 levels deep (any id)"
    )
    /// A build-info route nobody recorded.
    public static let versionEndpoint = PlantedDefect(
        id: "D12", summary: "The unrecorded version endpoint reads a build-info file that is not shipped",
        kind: .serverError, endpoint: "GET /api/v1/health/version",
        trigger: "any GET: linked only from the `links` of GET /api/v1/health/live, and a well-known name beside it"
    )

    /// An offset past the end of the list answers a status the spec does not declare.
    public static let notificationsOffsetStatus = PlantedDefect(
        id: "C1", summary: "Notifications answers 416, which /openapi.json does not declare, to an offset past the last item",
        kind: .conformance, endpoint: "GET /api/v1/notifications",
        trigger: "logged-in GET whose `offset` is positive and at or past the end of the list (`offset=1` for a new user; "
            + "the spec allows 0...1000000 and declares 200, 401, 422)"
    )
    /// The script item's `lang_version` is sent as a number.
    public static let scriptVersionType = PlantedDefect(
        id: "C2", summary: "A saved script read by id carries `lang_version` as a JSON number, not the string its schema says",
        kind: .conformance, endpoint: "GET /api/v1/scripts/{id}",
        trigger: "logged-in GET of one of the user's scripts by id (an endpoint the recording never calls)"
    )

    /// A script update stores an over-long description the spec says is refused (only with `lenient`).
    public static let scriptDescriptionLength = PlantedDefect(
        id: "C3", summary: "A script update accepts a `description` longer than the 1024 characters its schema allows (creation refuses it)",
        kind: .conformance, endpoint: "PUT /api/v1/scripts/{id}",
        trigger: "logged-in PUT of one of the user's scripts whose JSON `description` has 1025 or more characters: 200 "
            + "instead of 422 (on only with `serve-demo --lenient`; found by the opt-in `negative-accepted` check)"
    )

    /// The conformance defects: answers that break the demo's own OpenAPI document (issue #16).
    public static let conformance: [PlantedDefect] = [notificationsOffsetStatus, scriptVersionType, scriptDescriptionLength]

    /// Every planted defect, in id order.
    public static let all: [PlantedDefect] = [
        themeTypeConfusion, notificationsLimitRange, scriptPatchMethod, scriptLongID,
        langVersionUnicode, scriptCreateWithoutContentType, eventsLimitZero,
        conditionalWildcard, deleteContentType, webhookOddKey, scriptUpdateDepth, versionEndpoint,
    ]

    /// Nesting deeper than this is D11's trigger (and a 422 with defects off).
    static let maximumDepth = 32

    /// The server's defect triggers; every check does nothing when `enabled` is false.
    struct Switch: Sendable {
        let enabled: Bool
        let stop: StopSignal
        /// C3 (`DemoServerOptions.lenient`, only with the defects on).
        var lenient = false

        /// D1: `theme` of a non-string, non-null JSON type.
        func checkTheme(_ theme: JSONValue?) throws {
            guard enabled, let theme else { return }
            switch theme {
            case .number, .bool, .array, .object: throw PlantedFailure(defect: themeTypeConfusion)
            case .null, .string: return
            }
        }

        /// D2: `limit` parsed but outside 0...1000.
        func checkNotificationsLimit(_ limit: Int) throws {
            if enabled, limit < 0 || limit > 1000 { throw PlantedFailure(defect: notificationsLimitRange) }
        }

        /// D3: PATCH reached the script item route.
        func checkScriptMethod(_ method: HTTPRequest.Method) throws {
            if enabled, method == .patch { throw PlantedFailure(defect: scriptPatchMethod) }
        }

        /// D4: script id longer than 64 characters.
        func checkScriptID(_ id: String) throws {
            if enabled, id.count > 64 { throw PlantedFailure(defect: scriptLongID) }
        }

        /// D5: non-ASCII character in `lang_version`.
        func checkLangVersion(_ version: String) throws {
            if enabled, version.unicodeScalars.contains(where: { !$0.isASCII }) {
                throw PlantedFailure(defect: langVersionUnicode)
            }
        }

        /// D6: script creation without a Content-Type: close the socket, answer nothing.
        func checkScriptContentType(_ request: Request, channel: any Channel) async throws {
            guard enabled, request.headers[.contentType] == nil else { return }
            // Let the request finish arriving so the client sees a clean EOF rather than a reset mid-upload.
            _ = try? await request.body.collect(upTo: 1 << 20)
            try? await channel.close()
            throw DroppedConnection()
        }

        /// D8: a conditional entity-tag list that starts with `*` and goes on.
        func checkConditional(_ values: [String]) throws {
            guard enabled else { return }
            for value in values where value.hasPrefix("*") && value.count > 1 {
                throw PlantedFailure(defect: conditionalWildcard)
            }
        }

        /// D9: DELETE with a declared non-JSON media type.
        func checkDeleteContentType(_ contentType: String?) throws {
            guard enabled, let contentType else { return }
            let media = contentType.split(separator: ";", omittingEmptySubsequences: false).first ?? ""
            let trimmed = media.trimmingCharacters(in: .whitespaces).lowercased()
            if !trimmed.isEmpty, trimmed != "application/json" { throw PlantedFailure(defect: deleteContentType) }
        }

        /// D10: a prototype or operator key in a string map.
        func checkMapKeys(_ keys: some Sequence<String>) throws {
            guard enabled else { return }
            for key in keys where ["__proto__", "constructor", "prototype", "$where"].contains(key) {
                throw PlantedFailure(defect: webhookOddKey)
            }
        }

        /// D11: nesting past `maximumDepth` overflows (with defects off the caller answers 422).
        func checkDepth(_ depth: Int) throws {
            if enabled, depth > maximumDepth { throw PlantedFailure(defect: scriptUpdateDepth) }
        }

        /// D12: the version endpoint, reached at all.
        func checkVersion() throws {
            if enabled { throw PlantedFailure(defect: versionEndpoint) }
        }

        /// C1: a positive offset at or past the end of the list is answered 416 (undeclared)
        /// instead of an empty page.
        func offsetStatus(_ offset: Int, total: Int) -> Bool {
            enabled && offset > 0 && offset >= total
        }

        /// C2: a script read by id sends `lang_version` as a number when it reads as one.
        func scriptJSON(_ saved: SavedScript) -> JSONValue {
            let json = saved.json
            guard enabled, let number = Double(saved.langVersion), case .object(var members) = json else { return json }
            members["lang_version"] = .number(number)
            return .object(members)
        }

        /// C3: the description length limit a script update enforces (none while the leniency is on).
        func updateDescriptionLimit() -> ClosedRange<Int> {
            lenient ? 0...Int.max : 0...1024
        }

        /// D7: `limit=0` on event history stalls, unless the server is stopping.
        func checkEventsLimit(_ limit: Int) async {
            if enabled, limit == 0 { _ = await stop.sleep(for: hangDuration) }
        }
    }

    /// Thrown by a `Switch` check: the request fails as the defect says (500).
    struct PlantedFailure: Error {
        let defect: PlantedDefect
    }

    /// Thrown after the connection was closed on purpose; nothing more can be written.
    struct DroppedConnection: Error {}
}
