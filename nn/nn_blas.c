/* nn_blas: to be written. */
