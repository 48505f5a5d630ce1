/* helpers: what the nn test programs share (models that must build,
 * comparing their parameters, gradients against finite differences). */
#ifndef HELPERS_H
#define HELPERS_H

#include "nn_model.h"

/* 2 inputs -> linear(16) -> relu -> linear(1) -> sigmoid: 65 parameters. */
extern const nn_layer_spec helper_xor_net[4];

/* nn_model_new(in, layers, n_layers, seed), failing the running test with
 * nn_model_new's message when it fails. The caller frees the model. */
nn_model *helper_model(int in, const nn_layer_spec *layers, int n_layers,
                       uint64_t seed);

/* 1 when m's parameters are bit for bit the n_params floats at p; else 0. */
int helper_has_params(nn_model *m, const float *p);

/* 1 when a and b have as many parameters, bit for bit equal; else 0. */
int helper_same_params(nn_model *a, nn_model *b);

/* (f(ctx) at *v + h - f(ctx) at *v - h) / 2h: the central difference of
 * f in the value *v, which is as before when it returns. */
double helper_central_difference(float *v, float h, double (*f)(void *ctx),
                                 void *ctx);

/* Fails the running test unless every parameter's gradient of m, from
 * nn_model_backward, is within tol * max(1, |numeric|) of its central
 * difference with step h. The loss is the cross-entropy of the logits,
 * the output of the layer below m's last (a softmax), on the n rows x
 * with classes y. m's parameters are as before when it returns; `what`
 * names the case in a failure. */
void helper_check_ce_gradients(nn_model *m, const float *x, const int *y,
                               int n, float h, double tol, const char *what);

#endif
