#ifndef STAMPEDE_CZLIB_SHIM_H
#define STAMPEDE_CZLIB_SHIM_H
#include <zlib.h>

/* Fixed-arity wrappers for zlib's init macros, which Swift cannot import. */

/// Deflate into a gzip stream (windowBits 15 + 16).
static inline int stampede_deflate_init_gzip(z_streamp strm, int level) {
    return deflateInit2(strm, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}

/// Inflate a gzip stream only (windowBits 15 + 16), one member at a time.
static inline int stampede_inflate_init_gzip(z_streamp strm) {
    return inflateInit2(strm, 15 + 16);
}
#endif
