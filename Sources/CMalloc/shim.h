#ifndef STAMPEDE_CMALLOC_SHIM_H
#define STAMPEDE_CMALLOC_SHIM_H
/* glibc's malloc_trim, which Swift's Glibc module does not export (malloc.h is not in it). */
#if defined(__linux__)
#include <malloc.h>
#endif
#endif
