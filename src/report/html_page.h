/* report/html_page.h - what the HTML pages of `petal report` and `petal sweep
 * --report` share: the document's head (its CSS and the Content-Security-Policy
 * that forbids loading anything) and a number tied to the file it comes from. */
#ifndef PETAL_REPORT_HTML_PAGE_H
#define PETAL_REPORT_HTML_PAGE_H

#include <stdio.h>

/* From <!DOCTYPE html> to <body>: the policy, the generator, the title (as
 * given, escaped here) and the CSS. */
void html_page_begin(FILE *out, const char *title);

/* <span class="n" data-src="SRC" data-path='PATH' data-value="EXACT"
 * [data-scale="SCALE"]>SHOWN</span>, SHOWN being `shown` with `decimals` digits
 * after the point. EXACT is the source's own text of the number and SCALE (NULL
 * when 1) the factor that gives SHOWN from it (docs/report.md). */
void html_number(FILE *out, const char *src, const char *path, const char *exact, const char *scale,
                 double shown, int decimals);

#endif
