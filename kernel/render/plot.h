/* plot: TEMPORARY, for kernel/commands until its mechanical rename
 * commit: the old names of the render library's functions, mapped to the
 * modules that now hold them. Removed by that commit. */
#ifndef PLOT_H
#define PLOT_H

#include "axis.h"
#include "b64.h"
#include "chart.h"
#include "classplot.h"
#include "confusion.h"
#include "palette.h"
#include "svg.h"
#include "table.h"

#define plot_curves_svg chart_curves_svg
#define plot_curves_text chart_curves_text
#define plot_compare_svg chart_compare_svg
#define plot_compare_text chart_compare_text
#define plot_curves chart_curves
#define plot_points classplot_points
#define plot_grid classplot_grid
#define plot_scatter_svg classplot_scatter_svg
#define plot_scatter_text classplot_scatter_text
#define plot_boundary_svg classplot_boundary_svg
#define plot_boundary_text classplot_boundary_text
#define plot_confusion_html confusion_html
#define plot_confusion_text confusion_text
#define plot_table_html table_html
#define plot_table_text table_text
#define plot_svg_html svg_html
#define plot_base64 b64_encode
#define plot_class_color palette_class
#define plot_ticks axis_ticks
#define plot_tick_label axis_tick_label

#endif
