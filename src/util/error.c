/* error.c - the per-thread last-error message and the warning handler. */
#include "util/error.h"

#include <stdio.h>
#include <string.h>

static _Thread_local char last_message[2048];
static petal_warning_fn warning_fn;
static void *warning_ctx;

const char *petal_error_message(void)
{
    return last_message;
}

void petal_error_clear(void)
{
    last_message[0] = '\0';
}

int petal_error_setv(petal_status status, const char *fmt, va_list ap)
{
    vsnprintf(last_message, sizeof last_message, fmt, ap);
    return (int)status;
}

int petal_error_set(petal_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    petal_error_setv(status, fmt, ap);
    va_end(ap);
    return (int)status;
}

int petal_error_prefix(petal_status status, const char *fmt, ...)
{
    char prefix[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    if (n < 0)
        return (int)status;
    size_t plen = strlen(prefix);
    size_t mlen = strlen(last_message);
    if (plen + mlen >= sizeof last_message)
        mlen = sizeof last_message - plen - 1;
    memmove(last_message + plen, last_message, mlen);
    memcpy(last_message, prefix, plen);
    last_message[plen + mlen] = '\0';
    return (int)status;
}

const char *petal_status_name(petal_status status)
{
    switch (status) {
    case PETAL_OK: return "ok";
    case PETAL_EINVAL: return "invalid input";
    case PETAL_EPARSE: return "parse error";
    case PETAL_EIO: return "i/o error";
    case PETAL_ENOMEM: return "out of memory";
    case PETAL_ENOTFOUND: return "not found";
    case PETAL_EUNSUPPORTED: return "unsupported";
    case PETAL_EOVERFLOW: return "overflow";
    case PETAL_EMAPPING: return "invalid mapping";
    case PETAL_ENOMAPPING: return "no valid mapping";
    case PETAL_EINTERNAL: return "internal error";
    }
    return "unknown status";
}

void petal_set_warning_handler(petal_warning_fn fn, void *ctx)
{
    warning_fn = fn;
    warning_ctx = ctx;
}

void petal_warn(const char *fmt, ...)
{
    char message[1024];
    va_list ap;
    if (!warning_fn)
        return;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    warning_fn(message, warning_ctx);
}
