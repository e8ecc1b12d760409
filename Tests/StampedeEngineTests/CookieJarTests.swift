import StampedeCore
import StampedeEngine
import StampedeHTTP
import Testing

@Suite("CookieJar")
struct CookieJarTests {
    let now = 1_750_000_000.0

    @Test func hostOnlyCookieGoesToTheSameHostOnly() {
        var jar = CookieJar()
        jar.store(setCookie: "a=1", requestURL: "http://example.com/x", now: now)
        #expect(jar.cookieHeader(for: "http://example.com/", now: now) == "a=1")
        #expect(jar.cookieHeader(for: "http://sub.example.com/", now: now) == nil)
        #expect(jar.value(named: "a", now: now) == "1")
        #expect(!jar.isEmpty)
    }

    @Test func domainCookieCoversSubdomains() {
        var jar = CookieJar()
        jar.store(setCookie: "a=1; Domain=.Example.com", requestURL: "http://www.example.com/", now: now)
        #expect(jar.cookieHeader(for: "http://example.com/", now: now) == "a=1")
        #expect(jar.cookieHeader(for: "http://api.example.com/", now: now) == "a=1")
        #expect(jar.cookieHeader(for: "http://notexample.com/", now: now) == nil)
    }

    @Test func foreignDomainIsRejected() {
        var jar = CookieJar()
        jar.store(setCookie: "a=1; Domain=other.com", requestURL: "http://example.com/", now: now)
        #expect(jar.isEmpty)
    }

    @Test func pathScopesTheCookie() {
        var jar = CookieJar()
        jar.store(setCookie: "api=1; Path=/api", requestURL: "http://h/", now: now)
        jar.store(setCookie: "root=2; Path=/", requestURL: "http://h/", now: now)
        #expect(jar.cookieHeader(for: "http://h/api", now: now) == "api=1; root=2")
        #expect(jar.cookieHeader(for: "http://h/api/v1/x?q=1", now: now) == "api=1; root=2")
        #expect(jar.cookieHeader(for: "http://h/apix", now: now) == "root=2")
        #expect(jar.cookieHeader(for: "http://h/", now: now) == "root=2")
    }

    @Test func defaultPathIsTheRequestDirectory() {
        var jar = CookieJar()
        jar.store(setCookie: "d=1", requestURL: "http://h/a/b/c?x=/y", now: now)
        #expect(jar.all.first?.path == "/a/b")
        #expect(jar.cookieHeader(for: "http://h/a/b/z", now: now) == "d=1")
        #expect(jar.cookieHeader(for: "http://h/a/", now: now) == nil)
    }

    @Test func expiresInThePastOrFuture() {
        var jar = CookieJar()
        jar.store(setCookie: "old=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT", requestURL: "http://h/", now: now)
        #expect(jar.isEmpty)
        jar.store(setCookie: "new=1; Expires=Sat, 01 Jan 2100 00:00:00 GMT", requestURL: "http://h/", now: now)
        #expect(jar.cookieHeader(for: "http://h/", now: now) == "new=1")
        #expect(jar.all.first?.expires == 4_102_444_800)
    }

    @Test(arguments: [
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
    ])
    func dateFormats(_ date: String) {
        var jar = CookieJar()
        jar.store(setCookie: "a=1; Expires=\(date)", requestURL: "http://h/", now: 0)
        #expect(jar.all.first?.expires == 784_111_777)
    }

    @Test func maxAgeWinsOverExpiresAndZeroDeletes() {
        var jar = CookieJar()
        jar.store(setCookie: "a=1; Max-Age=60; Expires=Wed, 21 Oct 2015 07:28:00 GMT", requestURL: "http://h/", now: now)
        #expect(jar.value(named: "a", now: now) == "1")
        #expect(jar.value(named: "a", now: now + 61) == nil)
        jar.store(setCookie: "a=gone; Max-Age=0", requestURL: "http://h/", now: now)
        #expect(jar.isEmpty)
    }

    @Test func sameNameDomainPathReplaces() {
        var jar = CookieJar()
        jar.store(setCookie: "a=1; Path=/", requestURL: "http://h/", now: now)
        jar.store(setCookie: "b=2; Path=/", requestURL: "http://h/", now: now)
        jar.store(setCookie: "a=3; Path=/", requestURL: "http://h/", now: now)
        #expect(jar.cookieHeader(for: "http://h/", now: now) == "a=3; b=2")
    }

    @Test func secureCookiesGoToHTTPSAndLoopbackOnly() {
        var jar = CookieJar()
        jar.store(setCookie: "s=1; Secure; HttpOnly; SameSite=Strict", requestURL: "https://example.com/", now: now)
        #expect(jar.all.first?.httpOnly == true)
        #expect(jar.cookieHeader(for: "https://example.com/", now: now) == "s=1")
        #expect(jar.cookieHeader(for: "http://example.com/", now: now) == nil)
        var local = CookieJar()
        local.store(setCookie: "s=1; Secure", requestURL: "http://127.0.0.1:8080/", now: now)
        #expect(local.cookieHeader(for: "http://127.0.0.1:8080/x", now: now) == "s=1")
    }

    @Test func malformedSetCookieIsIgnored() {
        var jar = CookieJar()
        jar.store(setCookie: "novalue", requestURL: "http://h/", now: now)
        jar.store(setCookie: "=x", requestURL: "http://h/", now: now)
        jar.store(setCookie: "a=1", requestURL: "not a url", now: now)
        #expect(jar.isEmpty)
    }

    @Test func csrfHeaderMirrorsTheCookie() {
        var jar = CookieJar()
        #expect(CSRFPolicy().header(from: jar) == nil)
        jar.store(setCookie: "csrf_token=abc; Path=/", requestURL: "http://h/login", now: now)
        #expect(CSRFPolicy().header(from: jar) == HTTPHeader("X-CSRF-Token", "abc"))
        let custom = CSRFPolicy(headerName: "X-XSRF-TOKEN", cookieName: "XSRF-TOKEN")
        jar.store(setCookie: "XSRF-TOKEN=q", requestURL: "http://h/", now: now)
        #expect(custom.header(from: jar) == HTTPHeader("X-XSRF-TOKEN", "q"))
    }
}
