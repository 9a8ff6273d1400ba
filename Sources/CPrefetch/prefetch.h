#ifndef STREAM_PREFETCH_H
#define STREAM_PREFETCH_H

/* A read prefetch into all cache levels: Swift has no prefetch of its own. */
static inline void stream_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
