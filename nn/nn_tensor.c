/* nn_tensor: to be written. */
