/* petal/error.h - status codes and the last error message.
 *
 * Every libpetal function that can fail returns a petal_status. On failure the
 * library keeps a message for the calling thread that says where the problem is
 * (file:line:column for specifications) and what was expected; read it with
 * petal_error_message(). The library never prints, exits or aborts.
 */
#ifndef PETAL_ERROR_H
#define PETAL_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum petal_status {
    PETAL_OK = 0,
    PETAL_EINVAL,          /* an argument or a value in a specification is out of range */
    PETAL_EPARSE,          /* a file is malformed (YAML syntax, unexpected structure, ONNX decode) */
    PETAL_EIO,             /* a file could not be opened or read */
    PETAL_ENOMEM,          /* an allocation failed */
    PETAL_ENOTFOUND,       /* a named network, architecture, layer or level does not exist */
    PETAL_EUNSUPPORTED,    /* the input uses a feature petal does not implement */
    PETAL_EOVERFLOW,       /* a count does not fit in 64 bits */
    PETAL_EMAPPING,        /* a mapping is invalid for its layer and architecture */
    PETAL_ENOMAPPING,      /* no valid mapping exists under the given constraints */
    PETAL_EINTERNAL,       /* an invariant broke: a bug in petal */
} petal_status;

/* The message of the calling thread's last error, or "" if none was recorded. */
const char *petal_error_message(void);

/* Forget the calling thread's last error. */
void petal_error_clear(void);

/* A short name for a status ("invalid input", "parse error", ...). */
const char *petal_status_name(petal_status status);

/* Warnings (an unknown key in a spec, an operator counted as zero MACs) go to
 * one process-wide handler; with none installed they are dropped. */
typedef void (*petal_warning_fn)(const char *message, void *ctx);
void petal_set_warning_handler(petal_warning_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif
#endif
