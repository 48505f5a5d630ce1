/* nn_train: to be written. */
