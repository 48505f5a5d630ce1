/* nn_layer: to be written. */
