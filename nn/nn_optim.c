/* nn_optim: to be written. */
