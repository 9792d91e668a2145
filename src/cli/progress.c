/* progress.c - the progress bar with the time left (cli/progress.h). */
#include "cli/progress.h"

#include <unistd.h>

#include "util/clock.h"

#define BAR_WIDTH 30

void cli_progress_start_on(cli_progress *p, FILE *out)
{
    p->out = out;
    p->start = petal_seconds();
    p->drawn = 0;
}

void cli_progress_start(cli_progress *p)
{
    cli_progress_start_on(p, isatty(fileno(stderr)) ? stderr : NULL);
}

/* "1m05s" or "12s". */
static void format_seconds(char *buf, size_t size, double s)
{
    long whole = (long)(s + 0.5);
    if (whole >= 60)
        snprintf(buf, size, "%ldm%02lds", whole / 60, whole % 60);
    else
        snprintf(buf, size, "%lds", whole);
}

void cli_progress_finish(cli_progress *p)
{
    if (!p->out || !p->drawn)
        return;
    fprintf(p->out, "\r%*s\r", p->drawn, "");
    fflush(p->out);
    p->drawn = 0;
}

void cli_progress_update(cli_progress *p, size_t done, size_t total, const char *label)
{
    if (!p->out)
        return;
    int filled = total ? (int)((double)BAR_WIDTH * (double)done / (double)total) : 0;
    char left[32] = "?";
    if (total && done >= total)
        snprintf(left, sizeof left, "0s");
    double elapsed = petal_seconds() - p->start;
    if (done > 0 && total > done)
        format_seconds(left, sizeof left, elapsed / (double)done * (double)(total - done));
    int n = fprintf(p->out, "\r[%.*s%*s] %zu/%zu %-20.20s %s left ", filled,
                    "##############################", BAR_WIDTH - filled, "", done, total,
                    label ? label : "", left);
    if (n > 1 && n - 1 < p->drawn)
        fprintf(p->out, "%*s", p->drawn - (n - 1), "");
    if (n > 1 && n - 1 > p->drawn)
        p->drawn = n - 1;
    fflush(p->out);
    if (total && done >= total)
        cli_progress_finish(p);
}

void cli_progress_callback(void *ctx, size_t done, size_t total, const char *label)
{
    cli_progress_update((cli_progress *)ctx, done, total, label);
}
