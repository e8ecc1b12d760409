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

/* CURL_GLOBAL_ALL is a composed macro Swift does not import. */
static inline CURLcode stampede_global_init_all(void) { return curl_global_init(CURL_GLOBAL_ALL); }

/* The CURLMsg result lives in a union; reading it in C keeps the Swift side free of union layout. */
static inline CURLcode stampede_msg_result(const CURLMsg *m) { return m->data.result; }
static inline int stampede_msg_is_done(const CURLMsg *m) { return m->msg == CURLMSG_DONE; }
/* CURLVERSION_NOW is a macro alias Swift does not import. */
static inline unsigned int stampede_curl_version_num(void) { return curl_version_info(CURLVERSION_NOW)->version_num; }
/* The URL API with the flags the engine's origin check needs (macros Swift may not import). */
static inline CURLUcode stampede_url_parse(CURLU *u, const char *url) { return curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME | CURLU_PATH_AS_IS); }
static inline CURLUcode stampede_url_get(CURLU *u, CURLUPart p, char **out) { return curl_url_get(u, p, out, p == CURLUPART_PORT ? CURLU_DEFAULT_PORT : 0); }
#endif
