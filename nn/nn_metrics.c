/* nn_metrics: to be written. */
