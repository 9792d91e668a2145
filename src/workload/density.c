/* density.c - the density models' arithmetic: empty-tile probabilities and
 * tile occupancies (workload/density.h; Sparseloop's meanings, written
 * afresh). */
#include "workload/density.h"

#include <math.h>

bool density_is_dense(const petal_density *d)
{
    return d->kind == PETAL_DENSITY_DENSE || d->density >= 1;
}

double density_of(const petal_density *d)
{
    return density_is_dense(d) ? 1.0 : d->density;
}

static uint64_t hyper_nnz(const petal_density *d, uint64_t tensor)
{
    double nnz = ceil(d->density * (double)tensor);
    return nnz > (double)tensor ? tensor : (uint64_t)nnz;
}

double density_expected(const petal_density *d, uint64_t tensor)
{
    if (!density_is_dense(d) && d->kind == PETAL_DENSITY_HYPERGEOMETRIC && tensor > 0)
        return (double)hyper_nnz(d, tensor) / (double)tensor;
    return density_of(d);
}

double density_prob_empty(const petal_density *d, uint64_t shape, uint64_t tensor)
{
    if (density_is_dense(d) || shape == 0)
        return 0;
    if (d->kind == PETAL_DENSITY_HYPERGEOMETRIC && tensor > 0) {
        uint64_t nnz = hyper_nnz(d, tensor);
        if (shape > tensor - nnz)
            return 0;
        /* C(N - r, n) / C(N, n) as a product of n ratios, in logs. */
        long double log_p = 0;
        for (uint64_t i = 0; i < shape; i++)
            log_p += logl((long double)(tensor - nnz - i)) - logl((long double)(tensor - i));
        return (double)expl(log_p);
    }
    double exact = (double)shape * d->density;
    return floor(exact) == 0 ? 1 - exact : 0;
}

uint64_t density_max_occupancy(const petal_density *d, uint64_t shape, uint64_t tensor)
{
    if (density_is_dense(d))
        return shape;
    if (d->kind == PETAL_DENSITY_HYPERGEOMETRIC && tensor > 0) {
        uint64_t nnz = hyper_nnz(d, tensor);
        return shape < nnz ? shape : nnz;
    }
    double occ = ceil((double)shape * d->density);
    return occ > (double)shape ? shape : (uint64_t)occ;
}

double density_occupancy_prob(const petal_density *d, uint64_t shape, uint64_t tensor,
                              uint64_t nonzeros)
{
    if (density_is_dense(d))
        return nonzeros == shape ? 1 : 0;
    if (d->kind == PETAL_DENSITY_HYPERGEOMETRIC && tensor > 0) {
        uint64_t r = hyper_nnz(d, tensor);
        if (nonzeros > r || nonzeros > shape || shape - nonzeros > tensor - r)
            return 0;
        /* C(r, x) C(N - r, n - x) / C(N, n), in logs. */
        long double lp = lgammal((long double)r + 1) - lgammal((long double)nonzeros + 1) -
                         lgammal((long double)(r - nonzeros) + 1) +
                         lgammal((long double)(tensor - r) + 1) -
                         lgammal((long double)(shape - nonzeros) + 1) -
                         lgammal((long double)(tensor - r - shape + nonzeros) + 1) -
                         lgammal((long double)tensor + 1) + lgammal((long double)shape + 1) +
                         lgammal((long double)(tensor - shape) + 1);
        return (double)expl(lp);
    }
    double exact = (double)shape * d->density;
    double frac = exact - floor(exact);
    if ((double)nonzeros == floor(exact))
        return 1 - frac;
    if ((double)nonzeros == ceil(exact))
        return frac;
    return 0;
}
