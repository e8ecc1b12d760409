#ifndef STAMPEDE_CCURL_SHIM_H
#define STAMPEDE_CCURL_SHIM_H
#include <curl/curl.h>

/* Fixed-arity wrappers for libcurl's variadic option/info APIs, which Swift cannot call. */

static inline CURLcode stampede_easy_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode stampede_easy_setopt_ptr(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode stampede_easy_setopt_cstr(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode stampede_easy_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode stampede_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode stampede_easy_setopt_write_cb(CURL *h, CURLoption o, size_t (*cb)(char *, size_t, size_t, void *)) { return curl_easy_setopt(h, o, cb); }
static inline CURLcode stampede_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode stampede_easy_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode stampede_easy_getinfo_ptr(CURL *h, CURLINFO i, void **v) { return curl_easy_getinfo(h, i, v); }
static inline CURLMcode stampede_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }
static inline CURLMcode stampede_multi_setopt_ptr(CURLM *m, CURLMoption o, void *v) { return curl_multi_setopt(m, o, v); }
static inline CURLMcode stampede_multi_setopt_socket_cb(CURLM *m, int (*cb)(CURL *, curl_socket_t, int, void *, void *)) {
    return curl_multi_setopt(m, CURLMOPT_SOCKETFUNCTION, cb);
}
static inline CURLMcode stampede_multi_setopt_timer_cb(CURLM *m, int (*cb)(CURLM *, long, void *)) {
    return curl_multi_setopt(m, CURLMOPT_TIMERFUNCTION, cb);
}
/* CURL_SOCKET_TIMEOUT is a macro Swift does not import (it is CURL_SOCKET_BAD). */
static inline curl_socket_t stampede_socket_timeout(void) { return CURL_SOCKET_TIMEOUT; }

/* CURL_GLOBAL_ALL is a composed macro Swift does not import. */
static inline CURLcode stampede_global_init_all(void) { return curl_global_init(CURL_GLOBAL_ALL); }

/* The CURLMsg result lives in a union; reading it in C keeps the Swift side free of union layout. */
static inline CURLcode stampede_msg_result(const CURLMsg *m) { return m->data.result; }
static inline int stampede_msg_is_done(const CURLMsg *m) { return m->msg == CURLMSG_DONE; }
/* CURLVERSION_NOW is a macro alias Swift does not import. */
static inline unsigned int stampede_curl_version_num(void) { return curl_version_info(CURLVERSION_NOW)->version_num; }
/* A share handle that holds a connection pool of its own (one worker thread uses it: no locks). */
static inline CURLSH *stampede_share_connections(void) {
    CURLSH *share = curl_share_init();
    if (share && curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT) != CURLSHE_OK) {
        curl_share_cleanup(share);
        return NULL;
    }
    return share;
}

/* The URL API with the flags the engine's origin check needs (macros Swift may not import). */
static inline CURLUcode stampede_url_parse(CURLU *u, const char *url) { return curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME | CURLU_PATH_AS_IS); }
static inline CURLUcode stampede_url_get(CURLU *u, CURLUPart p, char **out) { return curl_url_get(u, p, out, p == CURLUPART_PORT ? CURLU_DEFAULT_PORT : 0); }
#ifdef __linux__
#include <errno.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

/* epoll and eventfd for the socket_action loop. `struct epoll_event` is packed on x86-64, so it
   stays on the C side: Swift sees file descriptors and event masks only. */
static inline int stampede_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

/* Adds fd with the events of `what` (CURL_POLL_IN/OUT/INOUT), or changes them if already added;
   CURL_POLL_REMOVE deletes it (a socket already closed is fine). Returns 0 or -1 with errno. */
static inline int stampede_epoll_watch(int ep, int fd, int what) {
    if (what == CURL_POLL_REMOVE) {
        return epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL) == 0 || errno == ENOENT || errno == EBADF ? 0 : -1;
    }
    struct epoll_event ev = {0};
    ev.events = ((what & CURL_POLL_IN) ? EPOLLIN : 0) | ((what & CURL_POLL_OUT) ? EPOLLOUT : 0);
    ev.data.fd = fd;
    if (epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev) == 0) return 0;
    if (errno != ENOENT) return -1;
    return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

/* Waits up to timeout_ms; fills fds[i] and masks[i] (CURL_CSELECT_IN/OUT/ERR) for up to max
   (at most 256) events. Returns the count, 0 on timeout, -1 with errno (EINTR included). */
static inline int stampede_epoll_wait(int ep, int *fds, int *masks, int max, int timeout_ms) {
    struct epoll_event events[256];
    if (max > 256) max = 256;
    int n = epoll_wait(ep, events, max, timeout_ms);
    for (int i = 0; i < n; i++) {
        uint32_t e = events[i].events;
        fds[i] = events[i].data.fd;
        masks[i] = ((e & EPOLLIN) ? CURL_CSELECT_IN : 0) | ((e & EPOLLOUT) ? CURL_CSELECT_OUT : 0)
            | ((e & (EPOLLERR | EPOLLHUP)) ? CURL_CSELECT_ERR : 0);
    }
    return n;
}

/* Adds the wakeup eventfd (level-triggered, readable). */
static inline int stampede_epoll_add_reader(int ep, int fd) {
    struct epoll_event ev = {0};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static inline int stampede_eventfd_create(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }
static inline void stampede_eventfd_signal(int fd) { uint64_t one = 1; ssize_t r = write(fd, &one, sizeof one); (void)r; }
static inline void stampede_eventfd_drain(int fd) { uint64_t value; ssize_t r = read(fd, &value, sizeof value); (void)r; }
#endif
#endif
