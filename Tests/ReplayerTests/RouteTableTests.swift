import Testing

@testable import Replayer

/// How mutated paths are named after the recorded route they hit.
@Suite struct RouteTableTests {
    @Test func routesNameMutatedPathsByTheRecordedRouteTheyHit() {
        let routes = RouteTable(paths: [
            "/api/v1/scripts", "/api/v1/scripts/{{script_id}}", "/api/v1/executions/{{execution_id}}/events",
            "/api/v1/user/settings/", "/api/v1/user/settings/theme",
        ])
        #expect(routes.route(of: "/api/v1/scripts/" + String(repeating: "a", count: 70)) == "/api/v1/scripts/{id}")
        #expect(routes.route(of: "/api/v1/scripts/index.html?x=1") == "/api/v1/scripts/{id}")
        #expect(routes.route(of: "/api/v1/user/settings/theme") == "/api/v1/user/settings/theme")
        #expect(routes.route(of: "/api/v1/executions/{{execution_id}}/events") == "/api/v1/executions/{id}/events")
        // An empty segment is no identifier: a trailing slash is its own (unrecorded) route.
        #expect(routes.route(of: "/api/v1/scripts/") == "/api/v1/scripts/")
        #expect(!routes.isRecorded("/api/v1/scripts/"))
        #expect(routes.isRecorded("/api/v1/scripts/{id}"))
        #expect(routes.route(of: "/api/v2/things/123") == "/api/v2/things/{id}")
    }
}
