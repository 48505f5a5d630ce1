/* nn_arch: see nn_arch.h. */
#include "nn_arch.h"
#include "nn_conv.h"

double nn_arch_weight_bytes(const nn_layer_spec *specs, int n, const int s[3])
{
    double need = 0, c = s[0], h = s[1], w = s[2];
    for (int i = 0; i < n; i++) {
        const nn_layer_spec *l = &specs[i];
        if (l->kind == NN_LINEAR) {
            double width = h ? c * h * w : c;
            need += (width + 1) * l->units * 4;
            c = l->units, h = w = 0;
        } else if (l->kind == NN_CONV2D) {
            int pad = l->pad == NN_PAD_SAME ? (l->kernel - 1) / 2 : l->pad;
            int st = l->stride ? l->stride : 1;
            need += (c * l->kernel * l->kernel + 1) * l->units * 4;
            c = l->units;
            h = nn_conv_out_size((int)h, l->kernel, st, pad);
            w = nn_conv_out_size((int)w, l->kernel, st, pad);
        } else if (l->kind == NN_MAXPOOL2D || l->kind == NN_AVGPOOL2D) {
            h = nn_conv_out_size((int)h, l->kernel, l->kernel, 0);
            w = nn_conv_out_size((int)w, l->kernel, l->kernel, 0);
        } else if (l->kind == NN_FLATTEN && h) {
            c = c * h * w, h = w = 0;
        } else if (l->kind == NN_BATCHNORM) {
            need += c * 16 + 8;
        }
    }
    return need;
}
