#include <stddef.h>

#include "data.h"
#include "draw.h"
#include "evaluate.h"
#include "fit.h"
#include "help.h"
#include "images.h"
#include "io.h"
#include "layers.h"
#include "model.h"
#include "optimizers.h"
#include "plotcmd.h"
#include "predict.h"
#include "regdata.h"
#include "registry.h"
#include "show.h"
#include "trace.h"
#include "values.h"
#include "weights.h"

/* Like Lua's linit.c: adding a family is adding a line here. */
static const builtin_family *const families[] = {
    &io_family,
    &data_family,
    &images_family,
    &regdata_family,
    &layers_family,
    &optimizers_family,
    &model_family,
    &fit_family,
    &evaluate_family,
    &predict_family,
    &trace_family,
    &plot_family,
    &draw_family,
    &help_family,
    &values_family,
    &weights_family,
    NULL
};

const lang_library commands_library = { families, show_bundle };
