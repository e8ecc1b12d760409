/* The calibration point for bench/engine.sh: the least a libcurl client can do per request.
 *
 * One thread, one multi handle, CONNECTIONS easy handles doing closed-loop GETs of one URL for
 * SECONDS: a finished handle is removed and re-added at once (its connection is reused), the
 * body is counted and dropped. Driven by curl_multi_perform + curl_multi_poll, the loop every
 * libcurl example uses. Prints one key=value line like `stampede bench-engine --machine`.
 *
 *   cc -O2 -o curl_loop bench/curl_loop.c -lcurl
 *   ./curl_loop URL CONNECTIONS SECONDS [RECEIVE-BUFFER-BYTES]
 *
 * The optional receive buffer sets CURLOPT_BUFFERSIZE, so bench/replay.sh can measure the memory
 * libcurl itself needs at its connection count with the buffer Stampede picks there.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static size_t discard(char *data, size_t size, size_t count, void *user) {
    (void)data;
    *(long *)user += (long)(size * count);
    return size * count;
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_seconds(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return (double)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + (double)(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

int main(int argc, char **argv) {
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: %s URL CONNECTIONS SECONDS [RECEIVE-BUFFER-BYTES]\n", argv[0]);
        return 2;
    }
    const char *url = argv[1];
    int connections = atoi(argv[2]);
    double seconds = atof(argv[3]);
    long buffer = argc == 5 ? atol(argv[4]) : 0;
    if (connections <= 0 || seconds <= 0 || buffer < 0) return 2;

    curl_global_init(CURL_GLOBAL_ALL);
    CURLM *multi = curl_multi_init();
    long body_bytes = 0, requests = 0, errors = 0;
    for (int i = 0; i < connections; i++) {
        CURL *easy = curl_easy_init();
        curl_easy_setopt(easy, CURLOPT_URL, url);
        curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard);
        curl_easy_setopt(easy, CURLOPT_WRITEDATA, &body_bytes);
        curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(easy, CURLOPT_PROXY, "");
        curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
        if (buffer > 0) curl_easy_setopt(easy, CURLOPT_BUFFERSIZE, buffer);
        curl_multi_add_handle(multi, easy);
    }

    double start = now_seconds(), cpu_start = cpu_seconds();
    double end = start + seconds;
    int running = 0;
    while (now_seconds() < end) {
        curl_multi_perform(multi, &running);
        CURLMsg *message;
        int left;
        while ((message = curl_multi_info_read(multi, &left))) {
            if (message->msg != CURLMSG_DONE) continue;
            CURL *easy = message->easy_handle;
            long status = 0;
            curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
            requests++;
            if (message->data.result != CURLE_OK || status >= 400) errors++;
            curl_multi_remove_handle(multi, easy);
            curl_multi_add_handle(multi, easy);
        }
        curl_multi_poll(multi, NULL, 0, 100, NULL);
    }
    double elapsed = now_seconds() - start, cpu = cpu_seconds() - cpu_start;
    printf("requests=%ld errors=%ld rps=%.0f cpu_us_per_req=%.2f body_bytes=%ld\n", requests, errors,
           requests / elapsed, requests > 0 ? cpu * 1e6 / (double)requests : 0.0, body_bytes);
    return 0;
}
