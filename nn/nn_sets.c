#include <stddef.h>
#include <string.h>

#include "nn_csv.h"
#include "nn_sets.h"

/* The CSV files of nn/datasets/, compiled in by the embed tool. */
extern const unsigned char nn_set_iris[], nn_set_wine[],
    nn_set_breast_cancer[], nn_set_digits[], nn_set_diabetes[];
extern const size_t nn_set_iris_len, nn_set_wine_len,
    nn_set_breast_cancer_len, nn_set_digits_len, nn_set_diabetes_len;

typedef struct bundled {
    const char *name;
    const unsigned char *csv;
    const size_t *len;
    const char *describe;
} bundled;

static const bundled sets[] = {
    {"iris", nn_set_iris, &nn_set_iris_len,
     "iris: 150 samples, 4 features, 3 classes (setosa, versicolor, "
     "virginica); Fisher 1936, UCI"},
    {"wine", nn_set_wine, &nn_set_wine_len,
     "wine: 178 samples, 13 features, 3 classes (class_0, class_1, class_2); "
     "Forina et al., UCI"},
    {"breast_cancer", nn_set_breast_cancer, &nn_set_breast_cancer_len,
     "breast_cancer: 569 samples, 30 features, 2 classes (malignant, benign); "
     "Wisconsin diagnostic, Wolberg, Street and Mangasarian 1995, UCI"},
    {"digits", nn_set_digits, &nn_set_digits_len,
     "digits: 1797 samples, 64 features (8x8 pixels, 0..16), 10 classes "
     "(0..9); Alpaydin and Kaynak 1998, UCI"},
    {"diabetes", nn_set_diabetes, &nn_set_diabetes_len,
     "diabetes: 442 samples, 10 features (age, sex, bmi, bp, s1..s6), a "
     "continuous target (disease progression after one year); Efron et al. "
     "2004"},
};

const char *const nn_sets_names[] = {"iris", "wine", "breast_cancer",
                                     "digits", "diabetes", NULL};

static const bundled *find(const char *name)
{
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++)
        if (strcmp(sets[i].name, name) == 0)
            return &sets[i];
    return NULL;
}

const char *nn_sets_describe(const char *name)
{
    const bundled *b = find(name);
    return b ? b->describe : NULL;
}

nn_data *nn_sets_load(const char *name, nn_err *e)
{
    const bundled *b = find(name);
    if (!b) {
        nn_err_set(e, "no bundled data set '%s'; the bundled sets are iris, "
                   "wine, breast_cancer, digits and diabetes", name);
        return NULL;
    }
    return nn_csv_parse((const char *)b->csv, *b->len, b->name, "target", e);
}
