/* netcol: a net seen as the columns of its diagram: the inputs, then the
 * outputs of each linear layer, with the layers that change them in
 * between (activations, dropout) and the names of their neurons.
 *
 * Reads an nn/ model, never changes it; knows nothing of drawing. Column
 * c (0 .. netcol_count(m) - 1) is fed by linear layer number c (counted
 * from 1) of the model. */
#ifndef NETCOL_H
#define NETCOL_H

#include "esc.h"
#include "nn_model.h"
#include "sb.h"

/* Columns of the diagram: the inputs, then one per linear layer. m must
 * not be NULL (as for every function here). */
int netcol_count(const nn_model *m);

/* The number of neurons of column c. */
int netcol_units(const nn_model *m, int c);

/* The layer whose output is the value of column c's neurons: the last
 * layer before the next linear one (its activation, or the linear layer
 * itself when none follows), or -1 for inputs that no layer changes. */
int netcol_layer(const nn_model *m, int c);

/* The kind of the value of column c's neurons, dropout aside (NN_LINEAR
 * when no activation follows, NN_IDENTITY for inputs left as they are). */
nn_layer_kind netcol_kind(const nn_model *m, int c);

/* The weights (units x units of column c - 1, row by row) and the biases
 * (units) of the linear layer feeding column c >= 1, inside the model's
 * parameters. */
const float *netcol_weights(const nn_model *m, int c);
const float *netcol_biases(const nn_model *m, int c);

/* The role of column c into buf: "input", "hidden 2" ("h2" when `brief`),
 * "output". */
void netcol_role(const nn_model *m, int c, int brief, char buf[32]);

/* Appends the layers that make column c's value ("relu", "tanh,
 * dropout(0.5)"), or "linear" for a linear layer with none, or nothing
 * for plain inputs. */
void netcol_put_activation(sb *b, const nn_model *m, int c);

/* How neurons are named. Any field may be NULL (0). */
typedef struct netcol_names {
    const char *const *features;  /* nn_model_in names, or NULL: x1.. */
    /* Class names, used when there are as many as outputs ("0".. else);
     * a single sigmoid output is named "P(second class)", or "P(1)". */
    const char *const *classes;
    int n_classes;
} netcol_names;

/* The name of neuron u of column c as a new string (the caller frees it;
 * NULL on OOM): a feature ("x3" when unnamed), "hidden 2 #5" (counted from
 * 1), or an output's: its class, "P(class)" for a single sigmoid output,
 * "out" for another single output, else its number. */
char *netcol_name(const nn_model *m, const netcol_names *names, int c,
                  int u);

#endif
