/* timeloop_args.c - parsing the options that name Timeloop inputs and loading
 * them, for every subcommand that takes a problem, an architecture and a
 * mapping. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/timeloop_args.h"

const char cli_timeloop_help[] =
    "Timeloop inputs:\n"
    "  --problem P.yaml       a Timeloop problem (v0.3 or v0.4 `problem:`)\n"
    "  --arch A.yaml          a Timeloop architecture (v0.4 nodes or v0.3 subtree)\n"
    "  --mapping M.yaml       Timeloop mapping directives (e.g. timeloop-mapper.map.yaml;\n"
    "                         petal model and petal sim)\n"
    "  --constraints C.yaml   mapspace constraints: Timeloop's (architecture_constraints,\n"
    "                         ...) on Timeloop inputs, petal's (docs/formats.md,\n"
    "                         \"Constraints\") on a petal architecture\n"
    "  --ert ERT.yaml         Accelergy energy reference table (energies are 0 without)\n"
    "  --art ART.yaml         Accelergy area reference table\n"
    "  --timeloop FILE.yaml   one file with several parts (parsed-processed-input.yaml);\n"
    "                         the options above replace its parts\n"
    "  --sparse-opts S.yaml   Sparseloop sparse optimizations (a top-level\n"
    "                         sparse_optimizations:), replacing the architecture file's\n"
    "                         (docs/sparsity.md)\n"
    "Jinja-templated files must be rendered first. See docs/timeloop.md.\n";

int cli_timeloop_option(const char *cmd, int argc, char **argv, int *i, cli_timeloop_args *t)
{
    struct {
        const char *name;
        const char **slot;
    } options[] = {
        {"--problem", &t->files.problem},   {"--arch", &t->files.arch},
        {"--mapping", &t->files.mapping},   {"--constraints", &t->files.constraints},
        {"--ert", &t->files.ert},           {"--art", &t->files.art},
        {"--timeloop", &t->files.combined}, {"--sparse-opts", &t->files.sparse_opts},
    };
    for (size_t k = 0; k < sizeof options / sizeof options[0]; k++) {
        const char *value;
        bool missing;
        if (!cli_option(argc, argv, i, options[k].name, &value, &missing))
            continue;
        if (missing || !value[0]) {
            cli_usage_error(cmd, "%s needs a file", options[k].name);
            return -1;
        }
        if (*options[k].slot) {
            cli_usage_error(cmd, "%s is given twice", options[k].name);
            return -1;
        }
        *options[k].slot = value;
        return 1;
    }
    return 0;
}

bool cli_timeloop_selected(const cli_timeloop_args *t)
{
    const petal_timeloop_files *f = &t->files;
    /* --constraints alone does not say: petal's architectures take petal's
     * constraints files (cli/map_args.h). */
    if (f->combined || f->problem || f->ert || f->art || f->sparse_opts)
        return true;
    return f->arch && petal_timeloop_is_spec(f->arch);
}

int cli_timeloop_load(const char *cmd, const cli_timeloop_args *t, bool need_mapping,
                      petal_timeloop_spec *spec)
{
    const petal_timeloop_files *f = &t->files;
    if (!f->combined && (!f->problem || !f->arch))
        return cli_usage_error(cmd, "Timeloop input needs --problem and --arch, or --timeloop");
    petal_status st = petal_timeloop_load(f, spec);
    if (st)
        return cli_fail(st);
    if (!spec->has_energy)
        fprintf(stderr, "petal: warning: no ERT given (--ert): energies are 0 pJ\n");
    if (need_mapping && !spec->has_mapping) {
        fprintf(stderr,
                "petal %s: no mapping: give --mapping M.yaml (a Timeloop mapper's "
                "choice is timeloop-mapper.map.yaml)\n",
                cmd);
        return EXIT_PETAL_INPUT;
    }
    return EXIT_PETAL_OK;
}
